using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>Connects containers to a network, like docker network connect.</summary>
    [Cmdlet(VerbsCommunications.Connect, "DockerNetwork", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class ConnectDockerNetworkCommand : NetworkConnectionCmdlet
    {
        /// <summary>More names the container answers to on this network.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Alias { get; set; }

        /// <summary>The container's address on the network (IPv4 or IPv6), inside one of its subnets.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? IPAddress { get; set; }

        protected override string Action => "Connect container";

        protected override void BeginProcessingCore()
        {
            if (IPAddress != null && !IPPrefix.TryParseAddress(IPAddress, out _))
            {
                ThrowTerminatingError(IPPrefix.BadAddress(IPAddress, $"-IPAddress '{IPAddress}' is not an IP address.").ToErrorRecord());
            }
        }

        private protected override Task ChangeAsync(EngineConnection connection, string container, string shown, CancellationToken ct) =>
            NetworkClient.ConnectAsync(connection, Network, container, shown, Alias, IPAddress, ct);
    }
}
