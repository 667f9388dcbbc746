using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Suspends (freezes) every process of running containers, like docker pause.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class SuspendDockerContainerCommand : ContainerActionCmdlet
    {
        /// <summary>Write the paused container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override bool ShouldAct(string shown) => ShouldProcess(shown, "Suspend container");

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            ContainerState? refused = await ContainerClient.PauseAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            if (refused == ContainerState.Paused)
            {
                PostVerbose($"Container '{shown}' was already paused.");
            }
            else if (refused.HasValue)
            {
                throw new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, shown,
                    $"Container '{shown}' is {refused.Value.ToString().ToLowerInvariant()}, not running: only a running container can be suspended. Start it first with Start-DockerContainer.");
            }

            return await PassThruAsync(PassThru, connection, target.Reference, cancellationToken).ConfigureAwait(false);
        }
    }
}
