using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

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

        private protected override Target<DockerVolume>? Approve(Target<DockerVolume> target, string shown) =>
            ShouldProcessOrForce(target.Reference, "Remove volume", Force) ? target : (Target<DockerVolume>?)null;

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerVolume> target, string shown, CancellationToken cancellationToken)
        {
            await VolumeClient.RemoveAsync(connection, target.Reference, Force.IsPresent, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }
}
