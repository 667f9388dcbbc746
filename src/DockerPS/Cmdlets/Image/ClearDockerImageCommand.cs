using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>
    /// Removes unused images, like docker image prune. -WhatIf lists each image that would go and the bytes it would
    /// free; otherwise a report says what went and how many bytes came back.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "DockerImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DockerPruneResult))]
    public sealed class ClearDockerImageCommand : DockerCmdlet
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

        /// <summary>Do not ask for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            var filter = new ImageFilter { Labels = Label, Until = Until == null ? (DateTime?)null : TimeArguments.PointInTime(Until, nameof(Until), ErrorIds.InvalidFilter) };
            EngineConnection connection = Connect(host);
            bool whatIf = IsWhatIf();
            if (Force && !whatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                // Unattended: no one reads a preview, so do not spend calls on it.
                WriteObject(Await(ct => ImageClient.PruneAsync(connection, All.IsPresent, filter, ct)));
                return;
            }

            var preview = Await(ct => ImageClient.PrunePreviewAsync(connection, All.IsPresent, filter, ct));
            long total = preview.Sum(p => p.Frees);
            string scope = All ? "unused images (tagged or not)" : "dangling images";
            string summary = $"{preview.Count} {(preview.Count == 1 ? scope.Replace("images", "image") : scope)} on {host}, freeing {Display.Size(total)} ({total.ToString("N0", CultureInfo.InvariantCulture)} bytes)";

            if (whatIf)
            {
                foreach (var (image, frees) in preview)
                {
                    ShouldProcess($"{(image.Dangling ? "<none>:<none>" : image.Reference)} ({image.ShortId}, frees {Display.Size(frees)})", "Remove image");
                }

                ShouldProcess(summary, "Prune");
                return;
            }

            if (!ShouldProcessOrForce(summary, "Prune", Force))
            {
                return;
            }

            WriteObject(Await(ct => ImageClient.PruneAsync(connection, All.IsPresent, filter, ct)));
        }

        /// <summary>True when -WhatIf (or $WhatIfPreference) is in force for this call.</summary>
        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value))
            {
                return LanguagePrimitives.IsTrue(value is SwitchParameter sp ? sp.IsPresent : value);
            }

            object? preference = GetVariableValue("WhatIfPreference");
            return LanguagePrimitives.IsTrue(preference is PSObject ps ? ps.BaseObject : preference);
        }
    }
}
