using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Volume
{
    /// <summary>Removes volumes, like docker volume rm; a volume in use stays, with an error naming its containers.</summary>
    [Cmdlet(VerbsCommon.Remove, "DockerVolume", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveDockerVolumeCommand : VolumeTargetCmdlet
    {
        /// <summary>Do not ask; and let the engine drop a volume whose driver no longer answers. A volume in use still stays.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecordCore()
        {
            foreach (Target<DockerVolume> target in Targets())
            {
                if (!ShouldProcessOrForce(target.Reference, "Remove volume", Force))
                {
                    continue;
                }

                try
                {
                    EngineConnection connection = Connect(target.Host);
                    Await(ct => VolumeClient.RemoveAsync(connection, target.Reference, Force.IsPresent, ct));
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, target.Reference, ResourceKind.Volume, target.Host);
                }
            }
        }
    }
}
