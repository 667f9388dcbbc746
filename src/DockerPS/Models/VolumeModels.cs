using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Docker.DotNet.Models;

namespace DockerPS
{
    /// <summary>A volume on an engine.</summary>
    public sealed class DockerVolume
    {
        /// <summary>The label engines from API 1.42 on put on the volumes they create without a name.</summary>
        internal const string AnonymousLabel = "com.docker.volume.anonymous";

        internal DockerVolume(DockerHost host, string name)
        {
            DockerHost = host;
            Name = name;
        }

        /// <summary>The volume's name (a random 64-character hex string for an anonymous volume).</summary>
        public string Name { get; }

        /// <summary>The volume driver, such as local.</summary>
        public string Driver { get; internal set; } = string.Empty;

        /// <summary>Where the volume's files are on the engine's machine.</summary>
        public string Mountpoint { get; internal set; } = string.Empty;

        /// <summary>local or global.</summary>
        public string Scope { get; internal set; } = string.Empty;

        /// <summary>When the volume was created (UTC); DateTime.MinValue when the driver does not say.</summary>
        public DateTime Created { get; internal set; }

        /// <summary>Labels of the volume.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();

        /// <summary>The options the volume was created with (driver options).</summary>
        public IReadOnlyDictionary<string, string> Options { get; internal set; } = new Dictionary<string, string>();

        /// <summary>True for a volume made without a name (for a container's anonymous mount).</summary>
        public bool IsAnonymous { get; internal set; }

        /// <summary>Names of the containers that mount the volume, running or not.</summary>
        public IReadOnlyList<string> UsedBy { get; internal set; } = Array.Empty<string>();

        /// <summary>The engine the volume lives on.</summary>
        public DockerHost DockerHost { get; }

        public override string ToString() => Name;

        internal static DockerVolume From(DockerHost host, VolumeResponse v, IReadOnlyList<string> usedBy)
        {
            var labels = Naming.Labels(v.Labels);
            return new DockerVolume(host, v.Name)
            {
                Driver = v.Driver ?? string.Empty,
                Mountpoint = v.Mountpoint ?? string.Empty,
                Scope = v.Scope ?? string.Empty,
                Created = ParseCreated(v.CreatedAt),
                Labels = labels,
                Options = Naming.Labels(v.Options),
                IsAnonymous = labels.ContainsKey(AnonymousLabel) || LooksGenerated(v.Name),
                UsedBy = usedBy,
            };
        }

        /// <summary>Engines name anonymous volumes with 64 random hex characters.</summary>
        internal static bool LooksGenerated(string name) =>
            name.Length == 64 && name.All(ch => (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));

        private static DateTime ParseCreated(string? text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
                ? at.UtcDateTime
                : DateTime.MinValue;
    }
}
