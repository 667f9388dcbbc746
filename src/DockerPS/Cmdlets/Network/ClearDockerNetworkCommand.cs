using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>
    /// Removes the networks no container is connected to, like docker network prune. -WhatIf lists each network that
    /// would go; otherwise a report says what went.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "DockerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DockerPruneResult))]
    public sealed class ClearDockerNetworkCommand : PruneCmdlet
    {
        /// <summary>Only networks created before this: a DateTime, or a TimeSpan meaning that long ago (also strings such as '24h').</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Until { get; set; }

        /// <summary>Only networks with these labels: "key" or "key=value".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        protected override void ProcessRecordCore()
        {
            DateTime? until = Until == null ? (DateTime?)null : TimeSpec.ParseUntil(Until);
            RunPrune(
                (connection, ct) => NetworkClient.PrunePreviewAsync(connection, Label, until, ct),
                network => $"{network.Name} ({network.ShortId}, {network.Driver}{(network.Subnets.Count > 0 ? ", " + string.Join(", ", network.Subnets) : string.Empty)})",
                "Remove network",
                (preview, host) => $"{preview.Count} network(s) with no container connected on {host}",
                (connection, ct) => NetworkClient.PruneAsync(connection, Label, until, ct));
        }
    }
}
