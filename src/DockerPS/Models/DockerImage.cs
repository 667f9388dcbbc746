using System;
using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;

namespace DockerPS
{
    /// <summary>An image on an engine.</summary>
    public sealed class DockerImage
    {
        internal DockerImage(DockerHost host, string id)
        {
            DockerHost = host;
            Id = id;
        }

        /// <summary>The full image id (sha256:…).</summary>
        public string Id { get; }

        /// <summary>The 12-character id the docker CLI shows.</summary>
        public string ShortId => Naming.ShortId(Id);

        /// <summary>All repository:tag references of the image.</summary>
        public IReadOnlyList<string> RepoTags { get; internal set; } = Array.Empty<string>();

        /// <summary>All repository@digest references of the image.</summary>
        public IReadOnlyList<string> RepoDigests { get; internal set; } = Array.Empty<string>();

        /// <summary>The repository of the first reference, or &lt;none&gt;.</summary>
        public string Repository => RepoTags.Count > 0 ? Naming.SplitReference(RepoTags[0]).Repository : "<none>";

        /// <summary>The tag of the first reference, or &lt;none&gt;.</summary>
        public string Tag => RepoTags.Count > 0 ? Naming.SplitReference(RepoTags[0]).Tag : "<none>";

        /// <summary>When the image was created (UTC).</summary>
        public DateTime Created { get; internal set; }

        /// <summary>Size in bytes, layers shared with other images included.</summary>
        public long Size { get; internal set; }

        /// <summary>Id of the parent image, for locally built images.</summary>
        public string? ParentId { get; internal set; }

        /// <summary>Labels of the image.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();

        /// <summary>Number of containers using the image, when the engine counted them (-1 when it did not).</summary>
        public long Containers { get; internal set; } = -1;

        /// <summary>True when the image has no tag.</summary>
        public bool Dangling => RepoTags.Count == 0;

        /// <summary>The engine the image lives on.</summary>
        public DockerHost DockerHost { get; }

        /// <summary>True when the inspect data below was fetched (Get-DockerImage -Detailed, and images other cmdlets return).</summary>
        public bool HasDetails { get; internal set; }

        /// <summary>Author of the image, from inspect.</summary>
        public string? Author { get; internal set; }

        /// <summary>Comment (commit message), from inspect.</summary>
        public string? Comment { get; internal set; }

        /// <summary>linux, windows…, from inspect.</summary>
        public string? Os { get; internal set; }

        /// <summary>amd64, arm64…, from inspect.</summary>
        public string? Architecture { get; internal set; }

        /// <summary>The default command (CMD), from inspect.</summary>
        public IReadOnlyList<string>? Cmd { get; internal set; }

        /// <summary>The entrypoint, from inspect.</summary>
        public IReadOnlyList<string>? Entrypoint { get; internal set; }

        /// <summary>Environment variables as NAME=value, from inspect.</summary>
        public IReadOnlyList<string>? Env { get; internal set; }

        /// <summary>Exposed ports such as 80/tcp, from inspect.</summary>
        public IReadOnlyList<string>? ExposedPorts { get; internal set; }

        /// <summary>Declared volumes, from inspect.</summary>
        public IReadOnlyList<string>? Volumes { get; internal set; }

        /// <summary>The working directory, from inspect.</summary>
        public string? WorkingDir { get; internal set; }

        /// <summary>The default user, from inspect.</summary>
        public string? User { get; internal set; }

        /// <summary>The layer digests of the root filesystem, bottom first, from inspect.</summary>
        public IReadOnlyList<string>? Layers { get; internal set; }

        /// <summary>The reference the engine knows the image by: its first tag, else its id.</summary>
        public string Reference => RepoTags.Count > 0 ? RepoTags[0] : Id;

        public override string ToString() => Reference;

        internal static DockerImage From(DockerHost host, ImagesListResponse r) => new DockerImage(host, r.ID)
        {
            RepoTags = Naming.RealTags(r.RepoTags),
            RepoDigests = Naming.RealTags(r.RepoDigests),
            Created = r.Created.ToUniversalTime(),
            Size = r.Size,
            ParentId = string.IsNullOrEmpty(r.ParentID) ? null : r.ParentID,
            Labels = Naming.Labels(r.Labels),
            Containers = r.Containers,
        };

        internal static DockerImage From(DockerHost host, ImageInspectResponse r) => new DockerImage(host, r.ID)
        {
            RepoTags = Naming.RealTags(r.RepoTags),
            RepoDigests = Naming.RealTags(r.RepoDigests),
            Created = (r.Created ?? DateTime.MinValue).ToUniversalTime(),
            Size = r.Size,
            Labels = Naming.Labels(r.Config?.Labels),
            HasDetails = true,
            Author = NullIfEmpty(r.Author),
            Comment = NullIfEmpty(r.Comment),
            Os = NullIfEmpty(r.Os),
            Architecture = NullIfEmpty(r.Architecture),
            Cmd = r.Config?.Cmd?.ToArray(),
            Entrypoint = r.Config?.Entrypoint?.ToArray(),
            Env = r.Config?.Env?.ToArray() ?? Array.Empty<string>(),
            ExposedPorts = r.Config?.ExposedPorts?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>(),
            Volumes = r.Config?.Volumes?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>(),
            WorkingDir = NullIfEmpty(r.Config?.WorkingDir),
            User = NullIfEmpty(r.Config?.User),
            Layers = r.RootFS?.Layers?.ToArray() ?? Array.Empty<string>(),
        };

        /// <summary>Keeps what only the list call knows (the container count, the parent) on an inspected image.</summary>
        internal DockerImage WithListData(DockerImage listed)
        {
            Containers = listed.Containers;
            ParentId = listed.ParentId;
            return this;
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Small naming helpers shared by the models.</summary>
    internal static class Naming
    {
        public static string ShortId(string id)
        {
            string bare = id.StartsWith("sha256:", StringComparison.Ordinal) ? id.Substring(7) : id;
            return bare.Length > 12 ? bare.Substring(0, 12) : bare;
        }

        /// <summary>Splits repo:tag, minding registry ports (localhost:5000/app:1).</summary>
        public static (string Repository, string Tag) SplitReference(string reference)
        {
            int at = reference.IndexOf('@');
            if (at >= 0)
            {
                return (reference.Substring(0, at), "<none>");
            }

            int colon = reference.LastIndexOf(':');
            int slash = reference.LastIndexOf('/');
            return colon > slash ? (reference.Substring(0, colon), reference.Substring(colon + 1)) : (reference, "latest");
        }

        /// <summary>Drops the engine's "&lt;none&gt;:&lt;none&gt;" placeholders.</summary>
        public static IReadOnlyList<string> RealTags(IList<string>? tags) =>
            tags == null
                ? Array.Empty<string>()
                : tags.Where(t => !string.IsNullOrEmpty(t) && !t.StartsWith("<none>", StringComparison.Ordinal)).ToArray();

        public static IReadOnlyDictionary<string, string> Labels(IDictionary<string, string>? labels) =>
            labels == null ? new Dictionary<string, string>() : new Dictionary<string, string>(labels);
    }
}
