using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Removes containers, like docker rm.</summary>
    [Cmdlet(VerbsCommon.Remove, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveDockerContainerCommand : ContainerActionCmdlet
    {
        /// <summary>Remove running containers too (they are killed), and do not ask.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Also remove the container's anonymous volumes.</summary>
        [Parameter]
        public SwitchParameter RemoveVolumes { get; set; }

        protected override bool ShouldAct(string shown) => ShouldProcessOrForce(shown, "Remove container", Force);

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            await ContainerClient.RemoveAsync(connection, target.Reference, Force.IsPresent, RemoveVolumes.IsPresent, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }
}
