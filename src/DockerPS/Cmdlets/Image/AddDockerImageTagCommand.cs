using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Adds a tag to an image, like docker tag.</summary>
    [Cmdlet(VerbsCommon.Add, "DockerImageTag", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerImage))]
    public sealed class AddDockerImageTagCommand : ImageTargetCmdlet
    {
        /// <summary>The new reference, repository[:tag] (latest when no tag is given).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        [Alias("NewName")]
        public string Target { get; set; } = string.Empty;

        /// <summary>Write the tagged image to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How many images to tag at once; 1 tags each before the next, in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TargetCmdlet.DefaultThrottleLimit;

        private protected override int Throttle => ThrottleLimit;

        protected override void BeginProcessingCore()
        {
            if (!ImageReference.IsValid(Target))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.InvalidReference, ErrorCategory.InvalidArgument, Target,
                    $"'{Target}' is not a valid image reference: use [registry[:port]/]name[:tag] with a lowercase name, such as localhost:5000/app:1.").ToErrorRecord());
            }
        }

        private protected override Target<DockerImage>? Approve(Target<DockerImage> target, string shown) =>
            ShouldProcess(shown, $"Tag as '{Target}'") ? target : (Target<DockerImage>?)null;

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerImage> target, string shown, CancellationToken cancellationToken)
        {
            string source = target.Item?.Id ?? target.Reference;
            await ImageClient.TagAsync(connection, source, Target, cancellationToken).ConfigureAwait(false);
            return PassThru ? (await ImageClient.InspectAsync(connection, source, cancellationToken).ConfigureAwait(false)).As(Target) : null;
        }
    }
}
