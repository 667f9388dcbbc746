using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Archives;

namespace DockerPS.Client
{
    /// <summary>A copy between a container and this machine, as the user wrote it.</summary>
    internal sealed class CopyRequest
    {
        public CopyRequest(DockerContainer container, bool toContainer, string source, string destination)
        {
            Container = container;
            ToContainer = toContainer;
            Source = source;
            Destination = destination;
        }

        public DockerContainer Container { get; }

        /// <summary>True to copy from this machine into the container.</summary>
        public bool ToContainer { get; }

        /// <summary>The source: an absolute container path, or a full local path.</summary>
        public string Source { get; }

        /// <summary>The destination: a full local path, or an absolute container path.</summary>
        public string Destination { get; }

        /// <summary>The source was written ending in "/.": a folder's contents, not the folder itself.</summary>
        public bool SourceContentsOnly { get; set; }

        /// <summary>The destination was written ending in a separator: it must be a folder.</summary>
        public bool DestinationIsFolder { get; set; }
    }

    /// <summary>
    /// Where a copy goes, decided as docker cp decides: a folder that exists receives the source under the source's
    /// name (or, for "folder/.", its contents); a path that does not exist yet gets the source under that new name;
    /// a file is replaced by a file. Worked out before anything is written.
    /// </summary>
    internal sealed class CopyPlan
    {
        public CopyPlan(CopyRequest request, bool sourceIsFolder, long sourceSize, string sourceName, string receiving, string? rootName)
        {
            Request = request;
            SourceIsFolder = sourceIsFolder;
            SourceSize = sourceSize;
            SourceName = sourceName;
            Receiving = receiving;
            RootName = rootName;
        }

        public CopyRequest Request { get; }

        public bool SourceIsFolder { get; }

        /// <summary>The bytes of a file source; 0 for a folder.</summary>
        public long SourceSize { get; }

        /// <summary>The source's own name: its archive's first element (from the container), its file name (local).</summary>
        public string SourceName { get; }

        /// <summary>The existing folder that receives the copy.</summary>
        public string Receiving { get; }

        /// <summary>The name the copy takes in <see cref="Receiving"/>; null to pour a folder's contents into it.</summary>
        public string? RootName { get; }

        /// <summary>Where the copy ends up.</summary>
        public string FinalPath => RootName == null ? Receiving
            : Request.ToContainer ? ContainerCopy.Join(Receiving, RootName) : Path.Combine(Receiving, RootName);

        /// <summary>"Copy folder '/etc' of container 'web' to '/tmp/etc'", for ShouldProcess and progress.</summary>
        public string Describe()
        {
            string what = SourceIsFolder ? (RootName == null ? "the contents of folder" : "folder") : "file";
            return Request.ToContainer
                ? $"Copy {what} '{Request.Source}' to '{FinalPath}' in container '{Request.Container}'"
                : $"Copy {what} '{Request.Source}' of container '{Request.Container}' to '{FinalPath}'";
        }
    }

    /// <summary>docker cp: plans a copy, then moves the bytes through the engine's archive endpoints.</summary>
    internal static class ContainerCopy
    {
        /// <summary>Checks both sides and decides where the copy goes; nothing is written.</summary>
        public static Task<CopyPlan> PlanAsync(EngineConnection c, CopyRequest request, CancellationToken ct) =>
            request.ToContainer ? PlanToContainerAsync(c, request, ct) : PlanFromContainerAsync(c, request, ct);

        /// <summary>
        /// Copies out of the container: the archive is extracted into a hidden folder beside the destination, and
        /// moved into place only when whole, so a failure or Ctrl+C leaves nothing half-copied. Returns the copy.
        /// </summary>
        public static async Task<FileSystemInfo> FromContainerAsync(EngineConnection c, CopyPlan plan, ByteProgress progress, Action<string> skippedLink, CancellationToken ct)
        {
            string staging = AtomicFile.TemporaryPathFor(Path.Combine(plan.Receiving, plan.RootName ?? "copy"));
            try
            {
                Directory.CreateDirectory(staging);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new CopyException(CopyFault.StagingFailed, plan.Receiving, inner: ex);
            }

            try
            {
                await ContainerClient.ReadArchiveAsync(c, plan.Request.Container, plan.Request.Source, async archive =>
                {
                    using var counted = new ProgressStream(archive, progress.Report);
                    await TarExtractor.ExtractAsync(new TarReader(counted, ct), staging, name => MapEntry(plan, name), skippedLink, ct).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);

                try
                {
                    TarExtractor.MergeInto(staging, plan.Receiving);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new CopyException(CopyFault.MoveFailed, plan.FinalPath, inner: ex);
                }
            }
            finally
            {
                TarExtractor.TryDeleteTree(staging);
            }

            string final = plan.FinalPath;
            return Directory.Exists(final) ? new DirectoryInfo(final) : (FileSystemInfo)new FileInfo(final);
        }

        /// <summary>
        /// Copies into the container: the source is packed into a temporary tar first (so an unreadable local file
        /// fails before the container is touched), then the engine extracts it. Returns what the container now has.
        /// <paramref name="packingDone"/> is called when the packing ends, well or not.
        /// </summary>
        public static async Task<DockerContainerPathInfo> ToContainerAsync(EngineConnection c, CopyPlan plan, ByteProgress progress, ByteProgress packing, Action packingDone, CancellationToken ct)
        {
            string packed = Path.Combine(Path.GetTempPath(), "dockerps-copy-" + Guid.NewGuid().ToString("N") + ".tar");
            using (var file = new FileStream(packed, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose))
            {
                try
                {
                    // Each entry keeps its local owner, as docker cp (without --archive) sends it.
                    var tar = new TarWriter(file, packing.Report, ct, keepOwners: true);
                    FileSystemInfo source = LocalInfo(plan.Request.Source);
                    if (plan.RootName == null)
                    {
                        await tar.AddChildrenAsync((DirectoryInfo)source, string.Empty, null).ConfigureAwait(false);
                    }
                    else
                    {
                        await tar.AddAsync(source, plan.RootName).ConfigureAwait(false);
                    }

                    await tar.FinishAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException) && !ct.IsCancellationRequested)
                {
                    throw new CopyException(CopyFault.PackFailed, plan.Request.Source, inner: ex);
                }
                finally
                {
                    packingDone();
                }

                file.Position = 0;
                progress.Expected = file.Length;
                using var counted = new ProgressStream(file, progress.Report);
                await ContainerClient.WriteArchiveAsync(c, plan.Request.Container, plan.Receiving, counted, ct).ConfigureAwait(false);
            }

            return await ContainerClient.StatPathAsync(c, plan.Request.Container, plan.FinalPath, ct).ConfigureAwait(false)
                ?? throw new CopyException(CopyFault.MissingAfterCopy, plan.FinalPath, plan.Request.Container.ToString());
        }

        /// <summary>A container path under a folder of the container.</summary>
        internal static string Join(string folder, string name) => folder.TrimEnd('/') + "/" + name;

        /// <summary>The folder a container path is in ("/" for the root and its children).</summary>
        internal static string ContainerParent(string path)
        {
            string trimmed = path.TrimEnd('/');
            int slash = trimmed.LastIndexOf('/');
            return slash <= 0 ? "/" : trimmed.Substring(0, slash);
        }

        /// <summary>The last element of a container path.</summary>
        internal static string ContainerName(string path)
        {
            string trimmed = path.TrimEnd('/');
            return trimmed.Length == 0 ? "/" : trimmed.Substring(trimmed.LastIndexOf('/') + 1);
        }

        /// <summary>
        /// Names an archive entry from the container below the staging folder: the first element (the source's own
        /// name) becomes the copy's name, or goes when a folder's contents are poured in. Entries that do not start
        /// with the source's name do not belong to this copy (null).
        /// </summary>
        internal static string? MapEntry(CopyPlan plan, string name)
        {
            string source = plan.SourceName;
            string rest;
            if (source == "/")
            {
                // The root's archive names its entries from "/" itself.
                if (!name.StartsWith("/", StringComparison.Ordinal))
                {
                    return null;
                }

                rest = name.Substring(1);
            }
            else if (name == source || name == source + "/")
            {
                rest = string.Empty;
            }
            else if (name.StartsWith(source + "/", StringComparison.Ordinal))
            {
                rest = name.Substring(source.Length + 1);
            }
            else
            {
                return null;
            }

            return plan.RootName == null ? rest : rest.Length == 0 ? plan.RootName : plan.RootName + "/" + rest;
        }

        private static async Task<CopyPlan> PlanFromContainerAsync(EngineConnection c, CopyRequest request, CancellationToken ct)
        {
            DockerContainerPathInfo source = await ContainerClient.StatPathAsync(c, request.Container, request.Source, ct).ConfigureAwait(false)
                ?? throw new CopyException(CopyFault.SourceNotInContainer, request.Source, request.Container.ToString());

            bool contents = source.IsDirectory && (request.SourceContentsOnly || source.Name == "/");
            string destination = request.Destination;
            if (Directory.Exists(destination))
            {
                return new CopyPlan(request, source.IsDirectory, source.Size, source.Name, destination, contents ? null : source.Name);
            }

            if (File.Exists(destination))
            {
                if (source.IsDirectory)
                {
                    throw FolderOntoFile(destination);
                }

                return new CopyPlan(request, false, source.Size, source.Name, Path.GetDirectoryName(destination)!, Path.GetFileName(destination));
            }

            if (request.DestinationIsFolder && !source.IsDirectory)
            {
                throw MissingFolder(destination, null);
            }

            string parent = Path.GetDirectoryName(destination) ?? destination;
            if (!Directory.Exists(parent))
            {
                throw MissingFolder(parent, null);
            }

            return new CopyPlan(request, source.IsDirectory, source.IsDirectory ? 0 : source.Size, source.Name, parent, Path.GetFileName(destination));
        }

        private static async Task<CopyPlan> PlanToContainerAsync(EngineConnection c, CopyRequest request, CancellationToken ct)
        {
            FileSystemInfo local = LocalInfo(request.Source);
            if (!local.Exists)
            {
                throw new CopyException(CopyFault.LocalSourceMissing, request.Source);
            }

            bool isFolder = TarWriter.Inspect(local).Kind == LocalEntryKind.Directory;
            bool contents = isFolder && request.SourceContentsOnly;
            long size = local is FileInfo file && !isFolder ? file.Length : 0;
            string destination = request.Destination;
            DockerContainerPathInfo? target = await ContainerClient.StatPathAsync(c, request.Container, destination, ct).ConfigureAwait(false);
            if (target != null && target.IsSymbolicLink && target.LinkTarget != null)
            {
                // As the docker CLI does: a link at the destination is followed, once.
                string linked = target.LinkTarget.StartsWith("/", StringComparison.Ordinal) ? target.LinkTarget : Join(ContainerParent(destination), target.LinkTarget);
                DockerContainerPathInfo? followed = await ContainerClient.StatPathAsync(c, request.Container, linked, ct).ConfigureAwait(false);
                if (followed != null)
                {
                    destination = linked;
                    target = followed;
                }
            }

            if (target != null && target.IsDirectory)
            {
                return new CopyPlan(request, isFolder, size, local.Name, destination, contents ? null : local.Name);
            }

            if (target != null)
            {
                if (isFolder)
                {
                    throw FolderOntoFile($"{request.Container}:{destination}");
                }

                return new CopyPlan(request, false, size, local.Name, ContainerParent(destination), ContainerName(destination));
            }

            if (request.DestinationIsFolder && !isFolder)
            {
                throw MissingFolder(destination, request.Container);
            }

            string parent = ContainerParent(destination);
            DockerContainerPathInfo? folder = await ContainerClient.StatPathAsync(c, request.Container, parent, ct).ConfigureAwait(false);
            if (folder == null || !folder.IsDirectory)
            {
                throw MissingFolder(parent, request.Container);
            }

            return new CopyPlan(request, isFolder, size, local.Name, parent, ContainerName(destination));
        }

        /// <summary>The local entry at a path, as a folder when it is one (or links to one).</summary>
        private static FileSystemInfo LocalInfo(string path) =>
            Directory.Exists(path) ? new DirectoryInfo(path) : (FileSystemInfo)new FileInfo(path);

        private static CopyException FolderOntoFile(string destination) => new CopyException(CopyFault.FolderOntoFile, destination);

        private static CopyException MissingFolder(string folder, DockerContainer? container) =>
            new CopyException(CopyFault.MissingFolder, folder, container?.ToString());
    }
}
