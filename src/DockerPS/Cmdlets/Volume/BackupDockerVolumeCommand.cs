using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DockerPS.Archives;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Volume
{
    /// <summary>
    /// Writes a volume's files into a tar archive, streamed and atomic, through a helper container that is created but
    /// never started, from an image the module makes locally: nothing runs and nothing is pulled.
    /// </summary>
    [Cmdlet(VerbsData.Backup, "DockerVolume", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class BackupDockerVolumeCommand : DockerCmdlet, IArchiveWriter
    {
        private const string ByName = "Name";
        private const string ByObject = "InputObject";
        private const string Activity = "Backing up volume";

        /// <summary>The volume, from Get-DockerVolume or New-DockerVolume.</summary>
        // By property name too, so a piped volume keeps its engine: see OneContainerCmdlet.InputObject.
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerVolume? InputObject { get; set; }

        /// <summary>The volume's name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VolumeNameCompleter))]
        public string? Name { get; set; }

        /// <summary>Where to write the archive.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Compress the archive with gzip (Restore-DockerVolume reads it as is).</summary>
        [Parameter]
        public SwitchParameter Compress { get; set; }

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the archive's FileInfo to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            string volume = InputObject?.Name ?? Name!;
            DockerHost host = TargetHost(InputObject?.DockerHost);
            string path = ArchiveDestination.Resolve(this, this);
            try
            {
                EngineConnection connection = Connect(host);
                Await(ct => VolumeClient.GetAsync(connection, volume, ct));
                if (!ShouldProcess(path, $"Back up volume '{volume}'"))
                {
                    return;
                }

                var users = Await(ct => VolumeClient.UsersAsync(connection, ct));
                var running = users.TryGetValue(volume, out var list) ? list.Where(u => u.Running).Select(u => u.Name).Distinct().ToArray() : Array.Empty<string>();
                if (running.Length > 0)
                {
                    WriteWarning($"Volume '{volume}' is in use by running container(s) {string.Join(", ", running)}: files they change during the backup may be caught half-written. Stop them first for a consistent backup.");
                }

                var progress = new ByteProgress(1, Activity, $"{volume} to {path}", 0, PostProgress);
                ArchiveDestination.Write(this, this, path, progress, Await,
                    (output, ct) => VolumeClient.BackupAsync(connection, volume, output, progress.Report, (what, why) => Post(() => WriteWarning(Wording.CouldNotRemove(what, why))), ct));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, volume, ResourceKind.Volume, host);
            }
        }
    }
}
