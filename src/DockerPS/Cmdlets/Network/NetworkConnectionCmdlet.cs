using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Completers;
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
}
