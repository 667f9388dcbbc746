using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Cmdlets.Image;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>
    /// Removes the networks no container is connected to, like docker network prune. -WhatIf lists each network that
    /// would go; otherwise a report says what went.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "DockerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DockerPruneResult))]
    public sealed class ClearDockerNetworkCommand : DockerCmdlet
    {
        /// <summary>Only networks created before this: a DateTime, or a TimeSpan meaning that long ago (also strings such as '24h').</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Until { get; set; }

        /// <summary>Only networks with these labels: "key" or "key=value".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        /// <summary>Do not ask for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            DateTime? until = Until == null ? (DateTime?)null : TimeSpec.ParseUntil(Until);
            EngineConnection connection = Connect(host);
            bool whatIf = IsWhatIf();
            if (Force && !whatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                WriteObject(Await(ct => NetworkClient.PruneAsync(connection, Label, until, ct)));
                return;
            }

            var preview = Await(ct => NetworkClient.PrunePreviewAsync(connection, Label, until, ct));
            string summary = $"{preview.Count} network(s) with no container connected on {host}";
            if (whatIf)
            {
                foreach (DockerNetwork network in preview)
                {
                    string subnets = network.Subnets.Count > 0 ? ", " + string.Join(", ", network.Subnets) : string.Empty;
                    ShouldProcess($"{network.Name} ({network.ShortId}, {network.Driver}{subnets})", "Remove network");
                }

                ShouldProcess(summary, "Prune");
                return;
            }

            if (!ShouldProcessOrForce(summary, "Prune", Force))
            {
                return;
            }

            WriteObject(Await(ct => NetworkClient.PruneAsync(connection, Label, until, ct)));
        }
    }
}
