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
            var filter = new ImageFilter { Labels = Label, Until = Until == null ? (DateTime?)null : ParseUntil(Until) };
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

        /// <summary>A DateTime as is; a TimeSpan (or '24h', '30m', '2d', '1.02:00:00') as that long ago.</summary>
        internal static DateTime ParseUntil(object value)
        {
            object raw = value is PSObject ps ? ps.BaseObject : value;
            if (raw is int || raw is long || raw is short || raw is decimal || raw is double || raw is byte)
            {
                throw new DockerPSException(ErrorIds.InvalidFilter, ErrorCategory.InvalidArgument, value,
                    $"-Until got the number {value}: PowerShell reads 7d or 90s unquoted as numbers. Quote durations, as in -Until '7d', or give a TimeSpan or DateTime.");
            }

            switch (raw)
            {
                case DateTime date:
                    return date;
                case DateTimeOffset offset:
                    return offset.UtcDateTime;
                case TimeSpan span:
                    return DateTime.UtcNow - span;
                case string text:
                    string t = text.Trim();
                    if (t.Length > 1 && double.TryParse(t.Substring(0, t.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double n))
                    {
                        switch (char.ToLowerInvariant(t[t.Length - 1]))
                        {
                            case 's': return DateTime.UtcNow.AddSeconds(-n);
                            case 'm': return DateTime.UtcNow.AddMinutes(-n);
                            case 'h': return DateTime.UtcNow.AddHours(-n);
                            case 'd': return DateTime.UtcNow.AddDays(-n);
                        }
                    }

                    if (TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out TimeSpan parsedSpan))
                    {
                        return DateTime.UtcNow - parsedSpan;
                    }

                    if (DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTime parsedDate))
                    {
                        return parsedDate;
                    }

                    break;
            }

            throw new DockerPSException(ErrorIds.InvalidFilter, ErrorCategory.InvalidArgument, value,
                $"-Until '{value}' is neither a date nor a duration. Give a DateTime, a TimeSpan, or a string such as '24h', '7d' or '2026-01-31'.");
        }
    }
}
