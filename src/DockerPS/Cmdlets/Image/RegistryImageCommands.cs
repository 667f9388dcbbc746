using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Completers;
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

    /// <summary>Lists the layers of an image, newest first, like docker history.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerImageHistory", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerImageLayer))]
    public sealed class GetDockerImageHistoryCommand : ImageTargetCmdlet
    {
        /// <summary>Piped images already shown: several references of one image have one history.</summary>
        private readonly HashSet<(DockerHost, string)> seen = new HashSet<(DockerHost, string)>();

        private protected override Target<DockerImage>? Approve(Target<DockerImage> target, string shown) =>
            target.Item != null && !seen.Add((target.Host, target.Item.Id)) ? (Target<DockerImage>?)null : target;

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerImage> target, string shown, CancellationToken cancellationToken) =>
            await ImageClient.HistoryAsync(connection, target.Item?.Id ?? target.Reference, target.Reference, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Searches the registry's index, like docker search.</summary>
    [Cmdlet(VerbsCommon.Find, "DockerImage")]
    [OutputType(typeof(DockerImageSearchResult))]
    public sealed class FindDockerImageCommand : DockerCmdlet
    {
        /// <summary>What to search for.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string Term { get; set; } = string.Empty;

        /// <summary>At most this many results (the index's default is 25).</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int? Limit { get; set; }

        /// <summary>Only official images.</summary>
        [Parameter]
        public SwitchParameter Official { get; set; }

        /// <summary>Only images with at least this many stars.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? MinimumStars { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            EngineConnection connection = Connect(host);
            bool? official = Official.IsPresent ? true : (bool?)null;
            foreach (DockerImageSearchResult result in Await(ct => ImageClient.SearchAsync(connection, Term, Limit, official, MinimumStars, ct)))
            {
                WriteObject(result);
            }
        }
    }

    /// <summary>Shared pieces of pull and push.</summary>
    internal static class Transfers
    {
        public static TransferProgress Progress(DockerCmdletBase cmdlet, string activity) =>
            new TransferProgress(new TransferProgressRecords(cmdlet, activity));

        /// <summary>An explicit -Credential wins; then the session's login; then the docker CLI's stored one.</summary>
        public static RegistryLogin? Auth(PSCredential? credential, string reference)
        {
            if (credential == null)
            {
                return RegistryAuth.For(reference);
            }

            return new RegistryLogin(RegistryAuth.RegistryOf(reference), credential.GetNetworkCredential(), RegistryLoginSource.Parameter);
        }
    }
}
