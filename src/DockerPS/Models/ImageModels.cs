using System;
using System.Collections.Generic;

namespace DockerPS
{
    /// <summary>One layer of an image's history, like a line of docker history.</summary>
    public sealed class DockerImageLayer
    {
        internal DockerImageLayer(DockerHost host, string image, int index, string? id, DateTime created, string createdBy, long size, string comment, IReadOnlyList<string> tags)
        {
            DockerHost = host;
            Image = image;
            Index = index;
            Id = id;
            Created = created;
            CreatedBy = createdBy;
            Size = size;
            Comment = comment;
            Tags = tags;
        }

        /// <summary>The image whose history this is.</summary>
        public string Image { get; }

        /// <summary>0 for the newest layer.</summary>
        public int Index { get; }

        /// <summary>The layer's image id, or null for layers that were built elsewhere (&lt;missing&gt;).</summary>
        public string? Id { get; }

        /// <summary>The 12-character id, or &lt;missing&gt;.</summary>
        public string ShortId => Id == null ? "<missing>" : Naming.ShortId(Id);

        /// <summary>When the layer was made (UTC).</summary>
        public DateTime Created { get; }

        /// <summary>The instruction that made it.</summary>
        public string CreatedBy { get; }

        /// <summary>Bytes the layer adds.</summary>
        public long Size { get; }

        /// <summary>The layer's comment (a commit message, for instance).</summary>
        public string Comment { get; }

        /// <summary>Tags pointing at this layer's image.</summary>
        public IReadOnlyList<string> Tags { get; }

        /// <summary>The engine of the image.</summary>
        public DockerHost DockerHost { get; }
    }

    /// <summary>A repository found by Find-DockerImage.</summary>
    public sealed class DockerImageSearchResult
    {
        internal DockerImageSearchResult(DockerHost host, string name, string description, long stars, bool official, bool automated)
        {
            DockerHost = host;
            Name = name;
            Description = description;
            Stars = stars;
            IsOfficial = official;
            IsAutomated = automated;
        }

        public string Name { get; }

        public string Description { get; }

        public long Stars { get; }

        public bool IsOfficial { get; }

        public bool IsAutomated { get; }

        public DockerHost DockerHost { get; }
    }

    /// <summary>What a prune removed (or, with -WhatIf, would remove) and the bytes it gave back.</summary>
    public sealed class DockerPruneResult
    {
        internal DockerPruneResult(DockerHost host, string kind, IReadOnlyList<string> deleted, IReadOnlyList<string> untagged, long spaceReclaimed)
        {
            DockerHost = host;
            Kind = kind;
            Deleted = deleted;
            Untagged = untagged;
            SpaceReclaimed = spaceReclaimed;
        }

        /// <summary>Image, Container, Volume or Network.</summary>
        public string Kind { get; }

        /// <summary>Ids of what was deleted.</summary>
        public IReadOnlyList<string> Deleted { get; }

        /// <summary>Layers the engine deleted with the images (image prunes only).</summary>
        public IReadOnlyList<string> DeletedLayers { get; internal set; } = Array.Empty<string>();

        /// <summary>References that were untagged.</summary>
        public IReadOnlyList<string> Untagged { get; }

        /// <summary>Bytes given back.</summary>
        public long SpaceReclaimed { get; }

        /// <summary>The engine that was pruned.</summary>
        public DockerHost DockerHost { get; }
    }

    /// <summary>A registry login kept for the session by Connect-DockerRegistry.</summary>
    public sealed class DockerRegistryConnection
    {
        internal DockerRegistryConnection(DockerHost host, string registry, string userName, string status)
        {
            DockerHost = host;
            Registry = registry;
            UserName = userName;
            Status = status;
        }

        /// <summary>The registry (host[:port], or docker.io).</summary>
        public string Registry { get; }

        /// <summary>The user the credential belongs to.</summary>
        public string UserName { get; }

        /// <summary>What the engine answered.</summary>
        public string Status { get; }

        /// <summary>The engine that checked the credential.</summary>
        public DockerHost DockerHost { get; }
    }
}
