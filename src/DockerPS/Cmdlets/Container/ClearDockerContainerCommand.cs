using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Removes every container that is not running, like docker container prune. -WhatIf lists each container that
    /// would go and the bytes it would free; otherwise a report says what went and how many bytes came back.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "DockerContainer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DockerPruneResult))]
    public sealed class ClearDockerContainerCommand : PruneCmdlet
    {
        /// <summary>Only containers created before this: a DateTime, or a TimeSpan meaning that long ago (also strings such as '24h' or '2.00:00:00').</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Until { get; set; }

        /// <summary>Only containers with these labels: "key" or "key=value" (all must match).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        protected override void ProcessRecordCore()
        {
            var filter = new ContainerPruneFilter { Labels = Label, Until = Until == null ? (DateTime?)null : TimeSpec.ParseUntil(Until) };
            RunPrune(
                (connection, ct) => ContainerClient.PrunePreviewAsync(connection, filter, ct),
                (container, frees) => $"{container} ({container.ShortId}, {container.State.ToString().ToLowerInvariant()}, frees {Display.Size(frees)})",
                "Remove container",
                ("stopped container", "stopped containers"),
                (connection, ct) => ContainerClient.PruneAsync(connection, filter, ct));
        }
    }
}
