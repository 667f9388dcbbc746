using System;
using System.Text;
using Docker.DotNet.Models;

namespace DockerPS
{
    /// <summary>A file, folder or link in a container, as the engine describes it (what Copy-DockerContainerItem -PassThru returns).</summary>
    public sealed class DockerContainerPathInfo
    {
        // The engine sends Go's os.FileMode: type bits high, permissions low.
        private const uint GoModeDir = 1u << 31;
        private const uint GoModeSymlink = 1u << 27;
        private const uint GoModeNamedPipe = 1u << 25;
        private const uint GoModeSetuid = 1u << 23;
        private const uint GoModeSetgid = 1u << 22;
        private const uint GoModeSticky = 1u << 20;

        private readonly uint goMode;

        private DockerContainerPathInfo(DockerContainer container, string path, ContainerPathStatResponse stat)
        {
            DockerHost = container.DockerHost;
            ContainerId = container.Id;
            Container = container.ToString();
            Path = path;
            Name = stat.Name ?? string.Empty;
            Size = stat.Size;
            goMode = stat.Mode;
            LastWriteTime = stat.Mtime.ToUniversalTime();
            LinkTarget = string.IsNullOrEmpty(stat.LinkTarget) ? null : stat.LinkTarget;
        }

        /// <summary>The container's name.</summary>
        public string Container { get; }

        /// <summary>The container's full id.</summary>
        public string ContainerId { get; }

        /// <summary>The absolute path in the container.</summary>
        public string Path { get; }

        /// <summary>The last element of the path.</summary>
        public string Name { get; }

        /// <summary>Size in bytes (for a folder, what the file system gives a folder entry).</summary>
        public long Size { get; }

        /// <summary>True for a folder.</summary>
        public bool IsDirectory => (goMode & GoModeDir) != 0;

        /// <summary>True for a symbolic link (the link itself is described, not what it points to).</summary>
        public bool IsSymbolicLink => (goMode & GoModeSymlink) != 0;

        /// <summary>Permission bits with setuid (04000), setgid (02000) and sticky (01000), as chmod takes them.</summary>
        public int Mode =>
            (int)(goMode & 511) | ((goMode & GoModeSetuid) != 0 ? 2048 : 0) | ((goMode & GoModeSetgid) != 0 ? 1024 : 0) | ((goMode & GoModeSticky) != 0 ? 512 : 0);

        /// <summary>The mode as ls -l shows it, such as drwxr-xr-x.</summary>
        public string UnixMode
        {
            get
            {
                var text = new StringBuilder(IsDirectory ? "d" : IsSymbolicLink ? "l" : (goMode & GoModeNamedPipe) != 0 ? "p" : "-");
                const string letters = "rwxrwxrwx";
                for (int bit = 8; bit >= 0; bit--)
                {
                    text.Append((goMode & (1u << bit)) != 0 ? letters[8 - bit] : '-');
                }

                return text.ToString();
            }
        }

        /// <summary>When it was last written (UTC).</summary>
        public DateTime LastWriteTime { get; }

        /// <summary>Where a symbolic link points; null for anything else.</summary>
        public string? LinkTarget { get; }

        /// <summary>The engine of the container.</summary>
        public DockerHost DockerHost { get; }

        public override string ToString() => $"{Container}:{Path}";

        internal static DockerContainerPathInfo From(DockerContainer container, string path, ContainerPathStatResponse stat) =>
            new DockerContainerPathInfo(container, path, stat);
    }
}
