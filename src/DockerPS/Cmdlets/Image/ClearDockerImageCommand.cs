using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>
    /// Removes unused images, like docker image prune. -WhatIf lists each image that would go and the bytes it would
    /// free; otherwise a report says what went and how many bytes came back.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "DockerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DockerPruneResult))]
    public sealed class ClearDockerImageCommand : PruneCmdlet
    {
        /// <summary>Remove every image no container uses, not only dangling (untagged) ones.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>Only images created before this: a DateTime, or a TimeSpan meaning that long ago (also strings such as '24h' or '2.00:00:00').</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Until { get; set; }

        /// <summary>Only images with these labels: "key" or "key=value".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        protected override void ProcessRecordCore()
        {
            var filter = new ImageFilter { Labels = Label, Until = Until == null ? (DateTime?)null : TimeSpec.ParseUntil(Until) };
            RunPrune(
                (connection, ct) => ImageClient.PrunePreviewAsync(connection, All.IsPresent, filter, ct),
                (image, frees) => $"{(image.Dangling ? "<none>:<none>" : string.Join(", ", image.RepoTags))} ({image.ShortId}, frees {Display.Size(frees)})",
                "Remove image",
                All ? ("unused image (tagged or not)", "unused images (tagged or not)") : ("dangling image", "dangling images"),
                (connection, ct) => ImageClient.PruneAsync(connection, All.IsPresent, filter, ct));
        }
    }
}
