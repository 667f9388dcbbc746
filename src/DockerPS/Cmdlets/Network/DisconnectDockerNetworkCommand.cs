using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>Disconnects containers from a network, like docker network disconnect.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "DockerNetwork", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class DisconnectDockerNetworkCommand : NetworkConnectionCmdlet
    {
        /// <summary>Disconnect even when the engine would refuse (a container that is stopping, a swarm network's endpoint).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override string Action => "Disconnect container";

        private protected override Task ChangeAsync(EngineConnection connection, string container, string shown, CancellationToken ct) =>
            NetworkClient.DisconnectAsync(connection, Network, container, shown, Force.IsPresent, ct);
    }
}
