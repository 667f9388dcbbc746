using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>Removes networks, like docker network rm; a network with containers connected stays, with an error naming them.</summary>
    [Cmdlet(VerbsCommon.Remove, "DockerNetwork", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveDockerNetworkCommand : NetworkTargetCmdlet
    {
        /// <summary>Do not ask for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override Target<DockerNetwork>? Approve(Target<DockerNetwork> target, string shown) =>
            ShouldProcessOrForce(shown, "Remove network", Force) ? target : (Target<DockerNetwork>?)null;

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerNetwork> target, string shown, CancellationToken cancellationToken)
        {
            await NetworkClient.RemoveAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }
}
