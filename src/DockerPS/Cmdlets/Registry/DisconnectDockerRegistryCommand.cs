using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Registry
{
    /// <summary>Forgets a registry login kept by Connect-DockerRegistry, like docker logout.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "DockerRegistry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class DisconnectDockerRegistryCommand : DockerCmdlet
    {
        /// <summary>The registry to forget (docker.io when not given).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("ServerAddress")]
        public string Registry { get; set; } = RegistryAuth.DockerHub;

        protected override void ProcessRecordCore()
        {
            string registry = RegistryAuth.Normalize(Registry);
            if (!ShouldProcess(registry, "Forget the registry login"))
            {
                return;
            }

            if (!RegistryAuth.Forget(registry))
            {
                WriteError(new DockerPSException(ErrorIds.RegistryNotConnected, ErrorCategory.ObjectNotFound, registry,
                    $"This session has no login for {registry}. Connect-DockerRegistry makes one.").ToErrorRecord());
            }
        }
    }
}
