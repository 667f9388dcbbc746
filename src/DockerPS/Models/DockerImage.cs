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

        /// <summary>
        /// The reference this object stands for: one repository:tag of the image (or repository@digest for a repository
        /// the image has only by digest), as docker image ls shows one row per reference; null for an untagged image.
        /// </summary>
        public string? Reference { get; private set; }

        /// <summary>The repository of <see cref="Reference"/>, or &lt;none&gt;.</summary>
        public string Repository => Reference == null ? "<none>" : Naming.SplitReference(Reference).Repository;

        /// <summary>The tag of <see cref="Reference"/>, or &lt;none&gt;.</summary>
        public string Tag => Reference == null ? "<none>" : Naming.SplitReference(Reference).Tag;

        /// <summary>Every repository:tag reference of the image, this object's and the others.</summary>
        public IReadOnlyList<string> RepoTags { get; internal set; } = Array.Empty<string>();

        /// <summary>Every repository@digest reference of the image.</summary>
        public IReadOnlyList<string> RepoDigests { get; internal set; } = Array.Empty<string>();

        /// <summary>When the image was created (UTC).</summary>
        public DateTime Created { get; internal set; }

        /// <summary>Size in bytes, layers shared with other images included.</summary>
        public long Size { get; internal set; }

        /// <summary>Id of the parent image, for locally built images.</summary>
        public string? ParentId { get; internal set; }

        /// <summary>Labels of the image.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();

        /// <summary>Number of containers (running or not) made from the image; null when not counted (images that cmdlets other than Get-DockerImage return).</summary>
        public int? Containers { get; internal set; }

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

        /// <summary>What to send to the engine to act on this object: its reference, or the id of an untagged image.</summary>
        internal string EngineName => Reference ?? Id;

        public override string ToString() => EngineName;

        /// <summary>
        /// One object per reference, as docker image ls has one row per reference: each tag, then each repository the
        /// image has only by digest; an image with no reference at all is one object with none.
        /// </summary>
        internal IEnumerable<DockerImage> PerReference() => PerReference(RepoTags, RepoDigests);

        /// <summary>One object per reference among <paramref name="tags"/> and <paramref name="digests"/> (those a filter kept), each still carrying every reference of the image.</summary>
        internal IEnumerable<DockerImage> PerReference(IReadOnlyList<string> tags, IReadOnlyList<string> digests)
        {
            var rows = new List<string>(tags);
            var tagged = new HashSet<string>(tags.Select(t => Naming.SplitReference(t).Repository), StringComparer.Ordinal);
            foreach (string digest in digests)
            {
                if (tagged.Add(Naming.SplitReference(digest).Repository))
                {
                    rows.Add(digest);
                }
            }

            return rows.Count == 0 ? new[] { StandingFor(null) } : rows.Select(StandingFor);
        }

        /// <summary>
        /// A copy standing for the image's own spelling of <paramref name="reference"/> (busybox and
        /// docker.io/library/busybox:latest both find busybox:latest); the first tag when the image has no such reference.
        /// </summary>
        internal DockerImage As(string? reference) =>
            StandingFor((reference == null ? null : OwnReference(reference)) ?? (RepoTags.Count > 0 ? RepoTags[0] : null));

        /// <summary>The image's own spelling of <paramref name="reference"/>, or null when it is none of the image's references.</summary>
        internal string? OwnReference(string reference)
        {
            string wanted = Naming.Familiar(reference);
            return RepoTags.Concat(RepoDigests).FirstOrDefault(r => string.Equals(r, wanted, StringComparison.Ordinal));
        }

        private DockerImage StandingFor(string? reference)
        {
            var copy = (DockerImage)MemberwiseClone();
            copy.Reference = reference;
            return copy;
        }

        internal static DockerImage From(DockerHost host, ImagesListResponse r) => new DockerImage(host, r.ID)
        {
            RepoTags = Naming.RealTags(r.RepoTags),
            RepoDigests = Naming.RealTags(r.RepoDigests),
            Created = r.Created.ToUniversalTime(),
            Size = r.Size,
            ParentId = string.IsNullOrEmpty(r.ParentID) ? null : r.ParentID,
            Labels = Naming.Labels(r.Labels),
            Reference = FirstTag(r.RepoTags),
        };

        internal static DockerImage From(DockerHost host, ImageInspectResponse r) => new DockerImage(host, r.ID)
        {
            RepoTags = Naming.RealTags(r.RepoTags),
            RepoDigests = Naming.RealTags(r.RepoDigests),
            Created = (r.Created ?? DateTime.MinValue).ToUniversalTime(),
            Size = r.Size,
            Labels = Naming.Labels(r.Config?.Labels),
            Reference = FirstTag(r.RepoTags),
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

        /// <summary>Keeps what only the list call knows (the reference of the row, the container count, the parent) on an inspected image.</summary>
        internal DockerImage WithListData(DockerImage listed)
        {
            DockerImage copy = StandingFor(listed.Reference);
            copy.Containers = listed.Containers;
            copy.ParentId = listed.ParentId;
            return copy;
        }

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string? FirstTag(IList<string>? tags) => Naming.RealTags(tags).FirstOrDefault();
    }

    /// <summary>Small naming helpers shared by the models.</summary>
    internal static class Naming
    {
        public static string ShortId(string id)
        {
            string bare = id.StartsWith("sha256:", StringComparison.Ordinal) ? id.Substring(7) : id;
            return bare.Length > 12 ? bare.Substring(0, 12) : bare;
        }

        /// <summary>True when <paramref name="text"/> starts the id, with or without sha256: (how the engine tells an id from a name).</summary>
        public static bool IsIdPrefix(string id, string text)
        {
            string wanted = text.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? text.Substring(7) : text;
            string have = id.StartsWith("sha256:", StringComparison.Ordinal) ? id.Substring(7) : id;
            return wanted.Length > 0 && have.StartsWith(wanted, StringComparison.OrdinalIgnoreCase);
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

        /// <summary>
        /// The short form the engine lists references in: docker.io/library/busybox and busybox both become
        /// busybox:latest; a reference with a digest keeps it.
        /// </summary>
        public static string Familiar(string reference)
        {
            string name = reference;
            foreach (string prefix in new[] { "docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/" })
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    name = name.Substring(prefix.Length);
                    break;
                }
            }

            bool hasTag = name.LastIndexOf(':') > name.LastIndexOf('/');
            return hasTag || name.IndexOf('@') >= 0 ? name : name + ":latest";
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
