using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Removes images, like docker image rm.</summary>
    [Cmdlet(VerbsCommon.Remove, "DockerImage", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveDockerImageCommand : ImageTargetCmdlet
    {
        /// <summary>Remove even when containers use the image or it has several tags; and do not ask.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Keep untagged parent images.</summary>
        [Parameter]
        public SwitchParameter NoPrune { get; set; }

        protected override void ProcessRecordCore()
        {
            foreach (Target<DockerImage> target in Targets())
            {
                string shown = target.Item?.ToString() ?? target.Reference;
                if (!ShouldProcessOrForce(shown, "Remove image", Force))
                {
                    continue;
                }

                try
                {
                    EngineConnection connection = Connect(target.Host);
                    foreach (string reference in References(target))
                    {
                        ImageRemoval removal = Await(ct => ImageClient.RemoveAsync(connection, reference, Force.IsPresent, NoPrune.IsPresent, ct));
                        foreach (string untagged in removal.Untagged)
                        {
                            WriteVerbose($"Untagged: {untagged}");
                        }

                        foreach (string deleted in removal.Deleted)
                        {
                            WriteVerbose($"Deleted: {deleted}");
                        }
                    }
                }
                catch (System.Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, shown, ResourceKind.Image, target.Host);
                }
            }
        }

        /// <summary>
        /// A piped image goes as a whole: each of its tags is removed in turn, and the last removal deletes it.
        /// A name removes just that reference, as the docker CLI does.
        /// </summary>
        private static IEnumerable<string> References(Target<DockerImage> target)
        {
            if (target.Item == null || target.Item.RepoTags.Count == 0)
            {
                return new[] { target.Item?.Id ?? target.Reference };
            }

            return target.Item.RepoTags;
        }
    }
}
