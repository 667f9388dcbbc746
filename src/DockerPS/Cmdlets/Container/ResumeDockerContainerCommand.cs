using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Resumes suspended containers, like docker unpause.</summary>
    [Cmdlet(VerbsLifecycle.Resume, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class ResumeDockerContainerCommand : ContainerActionCmdlet
    {
        /// <summary>Write the resumed container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override bool ShouldAct(string shown) => ShouldProcess(shown, "Resume container");

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            ContainerState? refused = await ContainerClient.UnpauseAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            if (refused == ContainerState.Running)
            {
                PostVerbose($"Container '{shown}' was not paused.");
            }
            else if (refused.HasValue)
            {
                throw new DockerPSException(ErrorIds.ContainerNotPaused, ErrorCategory.InvalidOperation, shown,
                    $"Container '{shown}' is {refused.Value.ToString().ToLowerInvariant()}, not paused: there is nothing to resume. Start it with Start-DockerContainer.");
            }

            return await PassThruAsync(PassThru, connection, target.Reference, cancellationToken).ConfigureAwait(false);
        }
    }
}
