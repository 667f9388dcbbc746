using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Restarts containers, like docker restart: stopped ones are started, running ones stopped and started.</summary>
    [Cmdlet(VerbsLifecycle.Restart, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class RestartDockerContainerCommand : ContainerActionCmdlet
    {
        /// <summary>Seconds to wait after SIGTERM before SIGKILL (the engine's default is 10).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int? Timeout { get; set; }

        /// <summary>Write the restarted container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override bool ShouldAct(string shown) => ShouldProcess(shown, "Restart container");

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            uint? timeout = Timeout.HasValue ? (uint)Timeout.Value : (uint?)null;
            await ContainerClient.RestartAsync(connection, target.Reference, timeout, cancellationToken).ConfigureAwait(false);
            return await PassThruAsync(PassThru, connection, target.Reference, cancellationToken).ConfigureAwait(false);
        }
    }
}
