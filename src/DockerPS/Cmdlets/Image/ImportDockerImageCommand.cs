using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Archives;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Loads image archives (docker load) or creates an image from a filesystem tarball (docker import).</summary>
    [Cmdlet(VerbsData.Import, "DockerImage", DefaultParameterSetName = ArchiveSet, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerImage))]
    public sealed class ImportDockerImageCommand : DockerCmdlet
    {
        private const string ArchiveSet = "Archive";
        private const string FileSystemSet = "FileSystem";
        private const string UriSet = "Uri";

        /// <summary>How long a stopped load whose archive the engine already has may take to answer.</summary>
        private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

        /// <summary>How long putting back what such a load did may take.</summary>
        private static readonly TimeSpan UndoBudget = TimeSpan.FromMilliseconds(300);

        /// <summary>Image archives written by Save-DockerImage or docker save, plain or gzip.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ArchiveSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [Alias("FullName", "PSPath")]
        public string[]? Path { get; set; }

        /// <summary>A tarball of a root filesystem (such as docker export writes), plain or compressed.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileSystemSet)]
        [ValidateNotNullOrEmpty]
        public string? FileSystemPath { get; set; }

        /// <summary>A URL the engine downloads a filesystem tarball from.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UriSet)]
        [ValidateNotNull]
        public Uri? Uri { get; set; }

        /// <summary>Repository name for the new image.</summary>
        [Parameter(ParameterSetName = FileSystemSet)]
        [Parameter(ParameterSetName = UriSet)]
        [ValidateNotNullOrEmpty]
        public string? Repository { get; set; }

        /// <summary>Tag for the new image (latest when a repository is given without one).</summary>
        [Parameter(ParameterSetName = FileSystemSet)]
        [Parameter(ParameterSetName = UriSet)]
        [ValidateNotNullOrEmpty]
        public string? Tag { get; set; }

        /// <summary>Dockerfile instructions to apply, such as 'CMD ["sh"]' or 'ENV A=1'.</summary>
        [Parameter(ParameterSetName = FileSystemSet)]
        [Parameter(ParameterSetName = UriSet)]
        public string[]? Change { get; set; }

        /// <summary>A commit message for the new image.</summary>
        [Parameter(ParameterSetName = FileSystemSet)]
        [Parameter(ParameterSetName = UriSet)]
        public string? Message { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            if (ParameterSetName == ArchiveSet)
            {
                foreach (string p in Path!)
                {
                    foreach (string file in ResolveFiles(p))
                    {
                        try
                        {
                            LoadArchive(host, file);
                        }
                        catch (Exception ex) when (IsItemFailure(ex))
                        {
                            WriteItemError(ex, file, ResourceKind.Image, host);
                        }
                    }
                }

                return;
            }

            if (Tag != null && Repository == null)
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.InvalidRequest, ErrorCategory.InvalidArgument, Tag,
                    "-Tag needs -Repository: give the repository the tag belongs to.").ToErrorRecord());
            }

            if (ParameterSetName == FileSystemSet)
            {
                string file = GetUnresolvedProviderPathFromPSPath(FileSystemPath);
                if (!File.Exists(file))
                {
                    ThrowTerminatingError(MissingFile(file));
                }

                if (ShouldProcess(file, "Import filesystem tarball as an image"))
                {
                    ImportFileSystem(host, file, null);
                }
            }
            else if (ShouldProcess(Uri!.ToString(), "Import filesystem tarball as an image"))
            {
                ImportFileSystem(host, null, Uri!.ToString());
            }
        }

        private IEnumerable<string> ResolveFiles(string path)
        {
            var files = new List<string>();
            try
            {
                foreach (string resolved in GetResolvedProviderPathFromPSPath(path, out _))
                {
                    files.Add(resolved);
                }
            }
            catch (ItemNotFoundException)
            {
                WriteError(MissingFile(GetUnresolvedProviderPathFromPSPath(path)));
            }

            return files;
        }

        private static ErrorRecord MissingFile(string file) =>
            new DockerPSException(ErrorIds.ArchiveNotFound, ErrorCategory.ObjectNotFound, file,
                $"The file '{file}' does not exist.").ToErrorRecord();

        private void LoadArchive(DockerHost host, string file)
        {
            // The archive's own manifest says which images it holds: a file that has none is refused before the engine sees it.
            IReadOnlyList<ArchivedImage> expected = ImageArchive.ReadManifest(file, CancelToken);
            if (!ShouldProcess(file, $"Load {expected.Count} image(s)"))
            {
                return;
            }

            EngineConnection connection = Connect(host);
            LoadSnapshot before = Await(ct => ImageClient.SnapshotAsync(connection, expected, ct));
            try
            {
                var sent = new UploadState();
                using Stream counted = OpenCounted(file, "Loading images", sent);
                Await(ct => LoadStoppableAsync(connection, counted, file, before, sent, ct));
            }
            finally
            {
                WriteProgress(new ProgressRecord(2, "Loading images", "Done") { RecordType = ProgressRecordType.Completed });
            }

            foreach (ArchivedImage archived in expected)
            {
                // Confirmed with the engine: only images it really has now are reported, one object per reference loaded.
                DockerImage image = Await(ct => ImageClient.InspectAsync(connection, archived.Id, ct));
                IEnumerable<string?> references = archived.RepoTags.Count > 0 ? (IEnumerable<string?>)archived.RepoTags : new string?[] { null };
                foreach (string? reference in references)
                {
                    WriteObject(image.As(reference));
                }
            }
        }

        /// <summary>
        /// Runs a load that Ctrl+C stops without leaving anything behind. While the archive is still going up, closing the
        /// upload is enough: the engine gets a cut archive and loads nothing. Once the engine has the whole archive it
        /// finishes the load whatever the client does, so the reply is awaited a little longer and whatever the load added
        /// or moved is then put back as it was; all within the second that Ctrl+C allows.
        /// </summary>
        private async Task LoadStoppableAsync(EngineConnection connection, Stream archive, string file, LoadSnapshot before, UploadState sent, CancellationToken ct)
        {
            using var load = new CancellationTokenSource();
            using (ct.Register(() =>
            {
                if (sent.Complete)
                {
                    load.CancelAfter(StopGrace);
                }
                else
                {
                    load.Cancel();
                }
            }))
            {
                try
                {
                    await ImageClient.LoadAsync(connection, archive, file, status => Post(() => WriteVerbose(status)), load.Token).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    // Stopped: what the engine did is checked below.
                }
                finally
                {
                    if (ct.IsCancellationRequested)
                    {
                        using var undo = new CancellationTokenSource(UndoBudget);
                        try
                        {
                            await ImageClient.UndoLoadAsync(connection, before, undo.Token).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ErrorMapper.IsEngineFailure(ex))
                        {
                            // The stop must not wait longer; the help says what a slow engine may still finish.
                        }
                    }
                }
            }

            ct.ThrowIfCancellationRequested();
        }

        private void ImportFileSystem(DockerHost host, string? file, string? url)
        {
            EngineConnection connection = Connect(host);
            string target = file ?? url!;
            string id;
            if (file != null)
            {
                try
                {
                    using Stream counted = OpenCounted(file, "Importing filesystem");
                    id = Await(ct => ImageClient.ImportAsync(connection, counted, null, Repository, Tag, Change, Message, target, s => Post(() => WriteVerbose(s)), ct));
                }
                finally
                {
                    WriteProgress(new ProgressRecord(2, "Importing filesystem", "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
            else
            {
                id = Await(ct => ImageClient.ImportAsync(connection, null, url, Repository, Tag, Change, Message, target, s => Post(() => WriteVerbose(s)), ct));
            }

            WriteObject(Await(ct => ImageClient.InspectAsync(connection, id, ct)));
        }

        /// <summary>
        /// Opens a file for async reading, posting read progress to the pipeline with the first bytes read, then at most
        /// four times a second, and once more when the whole file has gone to the engine.
        /// </summary>
        private Stream OpenCounted(string file, string activity, UploadState? sent = null)
        {
            long length = new FileInfo(file).Length;
            var throttle = new ProgressThrottle();
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            return new ProgressStream(stream, read =>
            {
                if (read >= length && sent != null && !sent.Complete)
                {
                    sent.Complete = true;
                    Post(() => WriteProgress(new ProgressRecord(2, activity, $"{file}: sent; the engine is loading it") { PercentComplete = 100 }));
                }
                else if (throttle.Due())
                {
                    Post(() => WriteProgress(ReadProgress(activity, file, read, length)));
                }
            });
        }

        private static ProgressRecord ReadProgress(string activity, string file, long read, long length)
        {
            var record = new ProgressRecord(2, activity, $"{file}: {read / 1048576.0:F1} of {length / 1048576.0:F1} MiB");
            if (length > 0)
            {
                record.PercentComplete = (int)Math.Min(100, read * 100 / length);
            }

            return record;
        }

        /// <summary>Whether the whole archive has been handed to the engine (set on the upload's thread).</summary>
        private sealed class UploadState
        {
            private volatile bool complete;

            public bool Complete
            {
                get => complete;
                set => complete = value;
            }
        }
    }
}
