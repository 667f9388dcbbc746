using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Starts containers, like docker start.</summary>
    [Cmdlet(VerbsLifecycle.Start, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class StartDockerContainerCommand : ContainerActionCmdlet
    {
        /// <summary>Write the started container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override bool ShouldAct(string shown) => ShouldProcess(shown, "Start container");

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            if (!await ContainerClient.StartAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false))
            {
                PostVerbose($"Container '{shown}' was already running.");
            }

            return await PassThruAsync(PassThru, connection, target.Reference, cancellationToken).ConfigureAwait(false);
        }
    }
}
