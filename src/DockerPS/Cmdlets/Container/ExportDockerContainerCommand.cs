using System;
using System.IO;
using System.Management.Automation;
using DockerPS.Archives;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Writes a container's file system as a tar archive, like docker export: streamed from the engine, with byte
    /// progress, through a temporary file that becomes the archive only when whole.
    /// </summary>
    [Cmdlet(VerbsData.Export, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportDockerContainerCommand : OneContainerCmdlet, IArchiveWriter
    {
        /// <summary>Where to write the archive.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Compress the archive with gzip (Import-DockerImage -FileSystemPath and docker import read it as is).</summary>
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
            string path = ArchiveDestination.Resolve(this, this);
            DockerHost host = ContainerHost;
            string shown = ContainerShown;
            EngineConnection connection;
            DockerContainer container;
            long expected;
            try
            {
                connection = Connect(host);
                container = Await(ct => ContainerClient.GetAsync(connection, ContainerReference, ct));
                expected = Await(ct => ContainerClient.FileSystemSizeAsync(connection, container.Id, ct));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Container, host);
                return;
            }

            if (!ShouldProcess(path, $"Export the file system of container '{container}'"))
            {
                return;
            }

            var progress = new ByteProgress(1, "Exporting a container", path, expected, PostProgress);
            try
            {
                ArchiveDestination.Write(this, this, path, progress, Await,
                    (output, ct) => ContainerClient.ExportAsync(connection, container.Id, output, progress.Report, ct));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Container, host);
            }
        }
    }
}
