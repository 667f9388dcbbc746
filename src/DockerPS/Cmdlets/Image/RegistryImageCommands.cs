using System;
using System.Collections.Generic;
using System.Management.Automation;
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

        protected override void ProcessRecordCore()
        {
            foreach (Target<DockerImage> target in Targets())
            {
                // A piped image pushes the reference it stands for, a name just that reference.
                string? reference = target.Item != null ? target.Item.Reference : target.Reference;
                if (reference == null || ParameterSetName == ById)
                {
                    WriteError(new DockerPSException(ErrorIds.InvalidReference, ErrorCategory.InvalidArgument, target.Item?.ToString() ?? target.Reference,
                        "An image is pushed by its repository:tag, not by id. Tag it for the registry first with Add-DockerImageTag.").ToErrorRecord());
                    continue;
                }

                if (!ShouldProcess(reference, "Push image"))
                {
                    continue;
                }

                try
                {
                    EngineConnection connection = Connect(target.Host);
                    var progress = Transfers.Progress(this, $"Pushing {reference}");
                    RegistryLogin? auth = Transfers.Auth(Credential, reference);
                    Await(ct => ImageClient.PushAsync(connection, reference, auth, progress, ct));
                    if (progress.Digest != null)
                    {
                        WriteVerbose($"{reference}: digest {progress.Digest}");
                    }

                    if (PassThru)
                    {
                        WriteObject(Await(ct => ImageClient.InspectAsync(connection, reference, ct)).As(reference));
                    }
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, reference, ResourceKind.Image, target.Host);
                }
            }
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

        protected override void ProcessRecordCore()
        {
            if (!ImageReference.IsValid(Target))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.InvalidReference, ErrorCategory.InvalidArgument, Target,
                    $"'{Target}' is not a valid image reference: use [registry[:port]/]name[:tag] with a lowercase name, such as localhost:5000/app:1.").ToErrorRecord());
            }

            foreach (Target<DockerImage> target in Targets())
            {
                string source = target.Item?.Id ?? target.Reference;
                if (!ShouldProcess(target.Item?.ToString() ?? target.Reference, $"Tag as '{Target}'"))
                {
                    continue;
                }

                try
                {
                    EngineConnection connection = Connect(target.Host);
                    Await(ct => ImageClient.TagAsync(connection, source, Target, ct));
                    if (PassThru)
                    {
                        WriteObject(Await(ct => ImageClient.InspectAsync(connection, source, ct)).As(Target));
                    }
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, target.Item?.ToString() ?? target.Reference, ResourceKind.Image, target.Host);
                }
            }
        }
    }

    /// <summary>Lists the layers of an image, newest first, like docker history.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerImageHistory", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerImageLayer))]
    public sealed class GetDockerImageHistoryCommand : ImageTargetCmdlet
    {
        /// <summary>Piped images already shown: several references of one image have one history.</summary>
        private readonly HashSet<(DockerHost, string)> shown = new HashSet<(DockerHost, string)>();

        protected override void ProcessRecordCore()
        {
            foreach (Target<DockerImage> target in Targets())
            {
                if (target.Item != null && !shown.Add((target.Host, target.Item.Id)))
                {
                    continue;
                }

                try
                {
                    EngineConnection connection = Connect(target.Host);
                    foreach (DockerImageLayer layer in Await(ct => ImageClient.HistoryAsync(connection, target.Item?.Id ?? target.Reference, target.Reference, ct)))
                    {
                        WriteObject(layer);
                    }
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, target.Item?.ToString() ?? target.Reference, ResourceKind.Image, target.Host);
                }
            }
        }
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
