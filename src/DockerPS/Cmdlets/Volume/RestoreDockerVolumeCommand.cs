using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using DockerPS.Archives;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Volume
{
    /// <summary>
    /// Brings a backup from Backup-DockerVolume into a new volume, an existing empty one, or (with -Force) over an
    /// existing one, through a helper container that is created but never started. The archive is checked whole before
    /// anything changes.
    /// </summary>
    [Cmdlet(VerbsData.Restore, "DockerVolume", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerVolume))]
    public sealed class RestoreDockerVolumeCommand : DockerCmdlet
    {
        private const string ByName = "Name";
        private const string ByObject = "InputObject";
        private const string Activity = "Restoring volume";
        private IDictionary<string, string> labels = new Dictionary<string, string>();

        /// <summary>The backup archive (plain or gzip).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("FullName", "PSPath")]
        public string Path { get; set; } = string.Empty;

        /// <summary>The volume to restore into; created when it does not exist.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VolumeNameCompleter))]
        public string? Name { get; set; }

        /// <summary>A volume from Get-DockerVolume or New-DockerVolume to restore into, on the engine it came from.</summary>
        // By property name too, so a piped volume keeps its engine: see OneContainerCmdlet.InputObject.
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerVolume? InputObject { get; set; }

        /// <summary>Labels for the volume, when the cmdlet creates it: a hashtable or key=value strings.</summary>
        [Parameter]
        public object[]? Label { get; set; }

        /// <summary>Restore into a volume that already holds files; the archive's files replace files of the same path.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the restored volume to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The volume's name, given or piped.</summary>
        private string Volume => InputObject?.Name ?? Name!;

        protected override void BeginProcessingCore()
        {
            try
            {
                labels = Settings.ToDictionary(Label, "label");
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }
        }

        protected override void ProcessRecordCore()
        {
            string file = GetUnresolvedProviderPathFromPSPath(Path);
            DockerHost host = TargetHost(InputObject?.DockerHost);
            try
            {
                if (!File.Exists(file))
                {
                    throw new DockerPSException(ErrorIds.ArchiveNotFound, ErrorCategory.ObjectNotFound, file, $"The file '{file}' does not exist.");
                }

                // The whole archive is read once before anything changes: a file that is not a whole volume backup changes nothing.
                VolumeBackupContents contents = Await(async ct =>
                {
                    using Stream tar = Open(file, null);
                    return await VolumeClient.CheckBackupAsync(tar, file, ct).ConfigureAwait(false);
                });

                EngineConnection connection = Connect(host);
                DockerVolume? existing = Await(ct => VolumeClient.FindAsync(connection, Volume, ct));
                if (existing != null && !CheckExisting(connection, existing))
                {
                    return;
                }

                string what = $"{contents.Entries} entries, {Display.Size(contents.Bytes)} of files, from '{file}'";
                string action = existing == null ? $"Create the volume and restore {what}"
                    : Force ? $"Restore {what}, over what the volume holds" : $"Restore {what} into the volume, which must be empty";
                if (!ShouldProcess(Volume, action))
                {
                    return;
                }

                Restore(connection, file, existing == null);
                if (PassThru)
                {
                    WriteObject(Await(ct => VolumeClient.GetAsync(connection, Volume, ct)));
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, Volume, ResourceKind.Volume, host);
            }
        }

        /// <summary>Warns about running users and refuses a volume that holds files, unless -Force.</summary>
        private bool CheckExisting(EngineConnection connection, DockerVolume existing)
        {
            if (Label != null)
            {
                WriteWarning($"Volume '{Volume}' already exists: it keeps its own labels, and -Label is not applied.");
            }

            var users = Await(ct => VolumeClient.UsersAsync(connection, ct));
            var running = users.TryGetValue(Volume, out var list) ? list.Where(u => u.Running).Select(u => u.Name).Distinct().ToArray() : Array.Empty<string>();
            if (running.Length > 0)
            {
                WriteWarning($"Volume '{Volume}' is in use by running container(s) {string.Join(", ", running)}: they will see files appear while the restore runs.");
            }

            // Looking inside takes a helper container (and maybe the helper image), which WhatIf should not make.
            if (Force || IsWhatIf() || Await(ct => VolumeClient.IsEmptyAsync(connection, existing.Name, (what, why) => Post(() => WriteWarning(Wording.CouldNotRemove(what, why))), ct)))
            {
                return true;
            }

            WriteError(new DockerPSException(ErrorIds.VolumeNotEmpty, ErrorCategory.ResourceExists, Volume,
                $"Volume '{Volume}' already holds files, so nothing was restored into it. Restore into a new or empty volume, or use -Force to write the archive's files over it (files of the volume that the archive does not have are kept).").ToErrorRecord());
            return false;
        }

        private void Restore(EngineConnection connection, string file, bool create)
        {
            long length = new FileInfo(file).Length;
            var throttle = new ProgressThrottle();
            try
            {
                using Stream tar = Open(file, read =>
                {
                    if (throttle.Due())
                    {
                        var record = new ProgressRecord(1, Activity, $"{file} into {Volume}: {read / 1048576.0:F1} of {length / 1048576.0:F1} MiB");
                        record.PercentComplete = length > 0 ? (int)Math.Min(100, read * 100 / length) : 0;
                        Post(() => WriteProgress(record));
                    }
                });
                Await(ct => VolumeClient.RestoreAsync(connection, Volume, create ? labels : null, tar, (what, why) => Post(() => WriteWarning(Wording.CouldNotRemove(what, why))), ct));
            }
            finally
            {
                WriteProgress(new ProgressRecord(1, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }

        /// <summary>The archive as a plain tar stream, decompressed when it is gzip, reporting bytes read from the file.</summary>
        private static Stream Open(string file, Action<long>? read)
        {
            bool gzip = ImageArchive.IsGzip(file);
            Stream stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            if (read != null)
            {
                stream = new ProgressStream(stream, read);
            }

            return gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        }
    }
}
