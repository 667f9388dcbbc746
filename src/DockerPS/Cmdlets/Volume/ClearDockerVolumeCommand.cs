using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Volume
{
    /// <summary>
    /// Removes volumes no container uses, like docker volume prune. Which ones depends on the engine: before Engine API
    /// 1.42 named volumes go as well as anonymous ones; from 1.42 on, named ones only with -All. -WhatIf lists each
    /// volume that would go, named or anonymous, with its size, and says which rule the engine follows.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "DockerVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(DockerPruneResult))]
    public sealed class ClearDockerVolumeCommand : PruneCmdlet
    {
        /// <summary>Remove unused named volumes too (engines before API 1.42 always do).</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>Only volumes with these labels: "key" or "key=value".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        protected override void ProcessRecordCore()
        {
            RunPrune(
                (connection, ct) => VolumeClient.PrunePreviewAsync(connection, All.IsPresent, Label, text => Post(() => WriteVerbose(text)), ct),
                entry => $"{entry.Volume.Name} ({(entry.Volume.IsAnonymous ? "anonymous" : "named")} volume, {(entry.Size.HasValue ? Display.Size(entry.Size.Value) : "size unknown")})",
                "Remove volume",
                (preview, host) => Summary(preview, !VolumeClient.PrunesOnlyAnonymous(host, All), host),
                (connection, ct) => VolumeClient.PruneAsync(connection, All.IsPresent, Label, ct),
                previewed: (connection, preview) =>
                {
                    var namedGoing = preview.Where(p => !p.Volume.IsAnonymous).Select(p => p.Volume.Name).ToArray();
                    if (namedGoing.Length > 0 && !All)
                    {
                        WriteWarning($"{Rule(connection.Host)} {namedGoing.Length} named volume(s) would be removed: {string.Join(", ", namedGoing)}.");
                    }
                },
                pruned: (connection, report) =>
                {
                    // No preview was shown: say afterwards what named volumes went.
                    var named = report.Deleted.Where(n => !DockerVolume.LooksGenerated(n)).ToArray();
                    if (named.Length > 0 && !All)
                    {
                        WriteWarning($"{Rule(connection.Host)} It removed {named.Length} named volume(s): {string.Join(", ", named)}.");
                    }
                });
        }

        /// <summary>What the engine's prune takes, in one sentence, by its API version.</summary>
        private static string Rule(DockerHost host) =>
            host.ApiVersion != null && host.ApiVersion >= VolumeClient.PruneAllFilterApi
                ? $"The engine at {host} (Engine API {host.ApiVersion}) prunes named volumes only with -All."
                : $"The engine at {host} (Engine API {host.ApiVersion}) prunes unused named volumes as well as anonymous ones, with or without -All.";

        private static string Summary(IReadOnlyList<(DockerVolume Volume, long? Size)> preview, bool namedToo, DockerHost host)
        {
            string kind = namedToo ? "unused volume(s), named and anonymous alike," : "unused anonymous volume(s)";
            long known = preview.Where(p => p.Size.HasValue).Sum(p => p.Size!.Value);
            int unknown = preview.Count(p => !p.Size.HasValue);
            string bytes = $"{Display.Size(known)} ({known.ToString("N0", CultureInfo.InvariantCulture)} bytes)";
            string freeing = unknown == 0 ? $"freeing {bytes}"
                : unknown == preview.Count ? "freeing an unknown number of bytes (the engine reported no sizes)"
                : $"freeing {bytes} plus {unknown} volume(s) of unknown size";
            return $"{preview.Count} {kind} on {host}, {freeing}";
        }
    }
}
