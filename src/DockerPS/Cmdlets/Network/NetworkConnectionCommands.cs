using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>Base of Connect- and Disconnect-DockerNetwork: one network, and containers piped or named.</summary>
    public abstract class NetworkConnectionCmdlet : DockerCmdlet
    {
        protected const string ByName = "Container";
        protected const string ByObject = "InputObject";

        /// <summary>The network's name or id.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string Network { get; set; } = string.Empty;

        /// <summary>The container, from Get-DockerContainer or another DockerPS cmdlet.</summary>
        // By property name too, so a piped container keeps its engine: see OneContainerCmdlet.InputObject.
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerContainer? InputObject { get; set; }

        /// <summary>The container's name or id.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [Alias("Name", "Id")]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string? Container { get; set; }

        /// <summary>Write the container to the pipeline afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>"Connect container", "Disconnect container".</summary>
        protected abstract string Action { get; }

        protected override void ProcessRecordCore()
        {
            string reference = InputObject?.Id ?? Container!;
            string shown = InputObject?.ToString() ?? Container!;
            DockerHost host = TargetHost(InputObject?.DockerHost);
            if (!ShouldProcess($"{shown} on network {Network}", Action))
            {
                return;
            }

            try
            {
                EngineConnection connection = Connect(host);
                Await(ct => ChangeAsync(connection, reference, shown, ct));
                if (PassThru)
                {
                    WriteObject(Await(ct => ContainerClient.GetAsync(connection, reference, ct)));
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Network, host);
            }
        }

        private protected abstract Task ChangeAsync(EngineConnection connection, string container, string shown, CancellationToken ct);
    }

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
