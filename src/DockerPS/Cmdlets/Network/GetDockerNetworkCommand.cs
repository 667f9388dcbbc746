using System;
using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>Lists networks, like docker network ls and inspect, with their subnets and connected containers.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerNetwork", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerNetwork))]
    public sealed class GetDockerNetworkCommand : DockerQueryCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";

        /// <summary>Network names, wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Network ids, whole or a prefix.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("NetworkId")]
        public string[]? Id { get; set; }

        /// <summary>Only networks of this driver.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Driver { get; set; }

        /// <summary>Only networks with these labels: "key" or "key=value".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        protected override void ProcessRecordCore()
        {
            bool filtered = Driver != null || Label != null;
            ForEachHost(connection =>
            {
                IReadOnlyList<DockerNetwork> networks = Await(ct => NetworkClient.ListAsync(connection, Driver, Label, ct));
                if (Name != null)
                {
                    WriteMatches(networks, Name, (n, name) => new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(n.Name), n => n.Id,
                        ErrorIds.NetworkNotFound, "network", reportMissing: !filtered);
                }
                else if (Id != null)
                {
                    WriteMatches(networks, Id, (n, id) => n.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase), n => n.Id,
                        ErrorIds.NetworkNotFound, "network", reportMissing: !filtered);
                }
                else
                {
                    foreach (DockerNetwork network in networks)
                    {
                        WriteObject(network);
                    }
                }
            });
        }
    }
}
