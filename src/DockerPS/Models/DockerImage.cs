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
        };
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
