using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Lists the processes running in containers, like docker top: one object per process.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerContainerProcess", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerContainerProcess))]
    public sealed class GetDockerContainerProcessCommand : ContainerTargetCmdlet
    {
        /// <summary>Options for ps, which the engine runs on its host (docker top's default is -ef).</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Arguments { get; set; } = "-ef";

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            DockerContainer container = Refresh(connection, target.Reference);
            if (container.State != ContainerState.Running && container.State != ContainerState.Paused)
            {
                WriteError(new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, target.Item?.ToString() ?? target.Reference,
                    $"Container '{container}' is {container.State.ToString().ToLowerInvariant()}, so it has no processes. Start it first with Start-DockerContainer.").ToErrorRecord());
                return;
            }

            IReadOnlyList<DockerContainerProcess> processes = Await(ct => ContainerClient.ListProcessesAsync(connection, container, Arguments, ct));
            foreach (DockerContainerProcess process in processes)
            {
                WriteObject(process);
            }
        }
    }
}
