using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>
    /// Removes exactly the image references selected, like docker image rm: a name, or a piped object that stands for a
    /// reference, untags that reference, and the image goes only with its last reference; an id, or a piped untagged
    /// object, deletes the image, which is refused without -Force while it has several tags.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "DockerImage", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveDockerImageCommand : ImageTargetCmdlet
    {
        /// <summary>Remove by id even when the image has several tags or stopped containers use it; and do not ask.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Keep untagged parent images.</summary>
        [Parameter]
        public SwitchParameter NoPrune { get; set; }

        // No -ThrottleLimit: images are removed one after the other, as docker rmi removes them. The engine prunes an
        // untagged parent only when its last child goes; untagging a parent while its child is removed side by side
        // leaves the parent behind with no reference, which nobody selected to keep.

        /// <summary>
        /// Looks the reference up first, so that the question names what would go (a tag, or the image with all its
        /// tags), and turns the selection into the one name the engine removes.
        /// </summary>
        private protected override Target<DockerImage>? Approve(Target<DockerImage> target, string shown)
        {
            EngineConnection connection = Connect(target.Host);
            DockerImage image = Await(ct => ImageClient.InspectAsync(connection, target.Reference, ct));
            bool byId = target.Item != null ? target.Item.Reference == null : Naming.IsIdPrefix(image.Id, target.Reference);
            if (ParameterSetName == ById && !byId)
            {
                // The engine finds a tag before an id prefix; -Id means an id.
                throw new DockerPSException(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, target.Reference,
                    $"No image id starts with '{target.Reference}' ('{target.Reference}' is a tag of image {image.ShortId}). Use -Name to remove a tag.");
            }

            if (target.Item != null && target.Item.Id != image.Id)
            {
                throw new DockerPSException(ErrorIds.ImageReferenceMoved, ErrorCategory.InvalidOperation, target.Reference,
                    $"'{target.Reference}' now names image {image.ShortId}, not the image {target.Item.ShortId} that was piped; nothing was removed. Run Get-DockerImage again to see what it names now.");
            }

            string engineName;
            if (byId)
            {
                if (image.RepoTags.Count > 1 && !Force)
                {
                    throw new DockerPSException(ErrorIds.ImageHasSeveralReferences, ErrorCategory.InvalidOperation, image.Id,
                        $"Image {image.ShortId} has {image.RepoTags.Count} tags ({string.Join(", ", image.RepoTags)}); removing it by id would remove them all. " +
                        $"Remove the tags you mean by name (Remove-DockerImage -Name {image.RepoTags[0]}), or use -Force to remove the image with every tag.");
                }

                string tags = image.RepoTags.Count == 0 ? "untagged" : "tags: " + string.Join(", ", image.RepoTags);
                if (!ShouldProcessOrForce($"{image.ShortId} ({tags})", "Delete image", Force))
                {
                    return null;
                }

                engineName = image.Id;
            }
            else
            {
                // A spelling the image's lists do not hold (repo:tag@digest) goes to the engine as given, which decides.
                string? own = image.OwnReference(target.Reference);
                engineName = own ?? target.Reference;
                string action = "Untag";
                if (own != null)
                {
                    ReferenceRemovalPlan plan = ReferenceRemovalPlan.For(image, own);
                    string also = plan.Untags.Count > 1 ? $" (and {string.Join(", ", plan.Untags.Skip(1))})" : string.Empty;
                    action = plan.DeletesImage ? $"Untag{also}, then delete image {image.ShortId} (no reference left)" : $"Untag{also}";
                }

                if (!ShouldProcessOrForce(engineName, action, Force))
                {
                    return null;
                }
            }

            return new Target<DockerImage>(engineName, target.Host, target.Item);
        }

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerImage> target, string shown, CancellationToken cancellationToken)
        {

            ImageRemoval removal = await ImageClient.RemoveAsync(connection, target.Reference, Force.IsPresent, NoPrune.IsPresent, cancellationToken).ConfigureAwait(false);

            foreach (string untagged in removal.Untagged)
            {
                PostVerbose($"Untagged: {untagged}");
            }

            foreach (string deleted in removal.Deleted)
            {
                PostVerbose($"Deleted: {deleted}");
            }

            return null;
        }
    }
}
