using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using DockerPS.Archives;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Copies files and folders between a container and this machine, like docker cp: out of the container by
    /// default, into it with -ToContainer, keeping names the way docker cp does.
    /// </summary>
    [Cmdlet(VerbsCommon.Copy, "DockerContainerItem", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo), typeof(DirectoryInfo), typeof(DockerContainerPathInfo))]
    public sealed class CopyDockerContainerItemCommand : OneContainerCmdlet
    {
        /// <summary>The packing of a -ToContainer source gets a bar of its own beside the copy's.</summary>
        private const int PackingActivityId = 2;

        /// <summary>What to copy: an absolute path in the container, or with -ToContainer a local path.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Where to copy it: a local path, or with -ToContainer an absolute path in the container.</summary>
        [Parameter(Mandatory = true, Position = 2, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; } = string.Empty;

        /// <summary>Copy from this machine into the container (Path is local, Destination in the container).</summary>
        [Parameter]
        public SwitchParameter ToContainer { get; set; }

        /// <summary>Write the copy to the pipeline: a FileInfo or DirectoryInfo, or what the container now has.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            string containerPath = ToContainer ? Destination : Path;
            if (!containerPath.StartsWith("/", StringComparison.Ordinal))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.InvalidContainerPath, ErrorCategory.InvalidArgument, containerPath,
                    $"'{containerPath}' is not an absolute path. Paths in a container start with '/', such as /etc/hosts; give the {(ToContainer ? "-Destination" : "-Path")} that way.").ToErrorRecord());
            }

            string local = ToContainer ? Path : Destination;
            string localFull = System.IO.Path.GetFullPath(GetUnresolvedProviderPathFromPSPath(local));
            DockerHost host = ContainerHost;
            string shown = ContainerShown;
            EngineConnection connection;
            CopyPlan plan;
            try
            {
                connection = Connect(host);
                DockerContainer container = Await(ct => ContainerClient.GetAsync(connection, ContainerReference, ct));
                var request = new CopyRequest(container, ToContainer, ToContainer ? localFull : Path, ToContainer ? Destination : localFull)
                {
                    SourceContentsOnly = NamesContents(Path, local: ToContainer),
                    DestinationIsFolder = EndsWithSeparator(Destination, local: !ToContainer),
                };
                plan = Await(ct => ContainerCopy.PlanAsync(connection, request, ct));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Container, host);
                return;
            }

            string description = plan.Describe();
            if (!ShouldProcess(shown, description))
            {
                return;
            }

            var progress = new ByteProgress(1, ToContainer ? "Copying into a container" : "Copying from a container", plan.Request.Source, plan.SourceSize, PostProgress);
            try
            {
                if (ToContainer)
                {
                    var packing = new ByteProgress(PackingActivityId, "Packing", plan.Request.Source, 0, PostProgress);
                    DockerContainerPathInfo copied = Await(ct => ContainerCopy.ToContainerAsync(connection, plan, progress, packing, () => PostProgress(packing.Completed()), ct));
                    if (PassThru)
                    {
                        WriteObject(copied);
                    }

                    return;
                }

                var skipped = new List<string>();
                FileSystemInfo written = Await(ct => ContainerCopy.FromContainerAsync(connection, plan, progress, link =>
                {
                    lock (skipped)
                    {
                        skipped.Add(link);
                    }
                }, ct));
                foreach (string link in skipped)
                {
                    WriteWarning($"The symbolic link '{link}' was left out: this system cannot make symbolic links here.");
                }

                if (PassThru)
                {
                    WriteObject(written);
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Container, host);
            }
            finally
            {
                WriteProgress(progress.Completed());
            }
        }

        /// <summary>"folder/." (or "." alone) names a folder's contents rather than the folder, as docker cp reads it.</summary>
        private static bool NamesContents(string path, bool local) =>
            path == "." || path.EndsWith("/.", StringComparison.Ordinal) || (local && System.IO.Path.DirectorySeparatorChar == '\\' && path.EndsWith("\\.", StringComparison.Ordinal));

        /// <summary>A trailing separator says the destination must be a folder.</summary>
        private static bool EndsWithSeparator(string path, bool local) =>
            path.EndsWith("/", StringComparison.Ordinal) || (local && System.IO.Path.DirectorySeparatorChar == '\\' && path.EndsWith("\\", StringComparison.Ordinal));
    }
}
