using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

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

        protected override void ProcessRecordCore()
        {
            foreach (Target<DockerNetwork> target in Targets())
            {
                string shown = target.Item?.ToString() ?? target.Reference;
                if (!ShouldProcessOrForce(shown, "Remove network", Force))
                {
                    continue;
                }

                try
                {
                    EngineConnection connection = Connect(target.Host);
                    Await(ct => NetworkClient.RemoveAsync(connection, target.Reference, ct));
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, shown, ResourceKind.Network, target.Host);
                }
            }
        }
    }
}
