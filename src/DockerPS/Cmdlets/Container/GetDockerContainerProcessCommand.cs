using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            DockerContainer container = await ContainerClient.GetAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            if (container.State != ContainerState.Running && container.State != ContainerState.Paused)
            {
                throw new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, shown,
                    $"Container '{container}' is {container.State.ToString().ToLowerInvariant()}, so it has no processes. Start it first with Start-DockerContainer.");
            }

            return await ContainerClient.ListProcessesAsync(connection, container, Arguments, cancellationToken).ConfigureAwait(false);
        }
    }
}
