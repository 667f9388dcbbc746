using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Pushes images to a registry, like docker push, with a progress bar per layer.</summary>
    [Cmdlet(VerbsData.Publish, "DockerImage", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerImage))]
    public sealed class PublishDockerImageCommand : ImageTargetCmdlet
    {
        /// <summary>A credential for the registry, for this push only (otherwise Connect-DockerRegistry's or the docker CLI's).</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Write the pushed image (with its new repository digest) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A piped image pushes the reference it stands for, a name just that reference; never an id.</summary>
        private protected override Target<DockerImage>? Approve(Target<DockerImage> target, string shown)
        {
            string? reference = target.Item != null ? target.Item.Reference : target.Reference;
            if (reference == null || ParameterSetName == ById)
            {
                throw new DockerPSException(ErrorIds.InvalidReference, ErrorCategory.InvalidArgument, shown,
                    "An image is pushed by its repository:tag, not by id. Tag it for the registry first with Add-DockerImageTag.");
            }

            return ShouldProcess(reference, "Push image") ? new Target<DockerImage>(reference, target.Host, target.Item) : (Target<DockerImage>?)null;
        }

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerImage> target, string shown, CancellationToken cancellationToken)
        {
            string reference = target.Reference;
            var progress = Transfers.Progress(this, $"Pushing {reference}");
            RegistryLogin? auth = Transfers.Auth(Credential, reference);
            await ImageClient.PushAsync(connection, reference, auth, progress, cancellationToken).ConfigureAwait(false);
            if (progress.Digest != null)
            {
                PostVerbose($"{reference}: digest {progress.Digest}");
            }

            return PassThru ? (await ImageClient.InspectAsync(connection, reference, cancellationToken).ConfigureAwait(false)).As(reference) : null;
        }
    }
}
