using System;
using System.Management.Automation;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Pulls images from a registry, like docker pull, with a progress bar per layer.</summary>
    [Cmdlet(VerbsLifecycle.Request, "DockerImage", SupportsShouldProcess = true)]
    [OutputType(typeof(DockerImage))]
    public sealed class RequestDockerImageCommand : DockerCmdlet
    {
        /// <summary>References to pull: repository[:tag] or repository@digest (latest when no tag is given).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("Reference")]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>A credential for the registry, for this pull only (otherwise Connect-DockerRegistry's or the docker CLI's).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The platform to pull, such as linux/arm64.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Platform { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            foreach (string reference in Name)
            {
                if (!ShouldProcess(reference, "Pull image"))
                {
                    continue;
                }

                try
                {
                    EngineConnection connection = Connect(host);
                    var progress = Transfers.Progress(this, $"Pulling {reference}");
                    RegistryLogin? auth = Transfers.Auth(Credential, reference);
                    Await(ct => ImageClient.PullAsync(connection, reference, Platform, auth, progress, ct));
                    WriteObject(Await(ct => ImageClient.InspectAsync(connection, reference, ct)).As(reference));
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, reference, ResourceKind.Image, host);
                }
            }
        }
    }
}
