using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Cmdlets
{
    /// <summary>
    /// Base of the Clear-* cmdlets (prunes): -WhatIf lists each item that would go and the bytes it would free, then
    /// the total; -Confirm asks once with that total; -Force alone prunes without asking and without a preview.
    /// </summary>
    public abstract class PruneCmdlet : DockerCmdlet
    {
        /// <summary>Do not ask for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Runs a prune whose preview items each free a known number of bytes, and writes its report.
        /// </summary>
        /// <param name="preview">What would go, with the bytes each frees.</param>
        /// <param name="describe">One item of the preview, as the -WhatIf line shows it.</param>
        /// <param name="itemAction">The -WhatIf action for one item, such as "Remove image".</param>
        /// <param name="scope">What goes, for the summary: ("dangling image", "dangling images").</param>
        /// <param name="prune">The prune itself.</param>
        private protected void RunPrune<T>(
            Func<EngineConnection, CancellationToken, Task<IReadOnlyList<(T Item, long Frees)>>> preview,
            Func<T, long, string> describe,
            string itemAction,
            (string One, string Many) scope,
            Func<EngineConnection, CancellationToken, Task<DockerPruneResult>> prune)
        {
            RunPrune(
                preview,
                entry => describe(entry.Item, entry.Frees),
                itemAction,
                (items, host) =>
                {
                    long total = items.Sum(p => p.Frees);
                    return $"{items.Count} {(items.Count == 1 ? scope.One : scope.Many)} on {host}, freeing {Display.Size(total)} ({total.ToString("N0", CultureInfo.InvariantCulture)} bytes)";
                },
                prune);
        }

        /// <summary>
        /// Runs the prune on the engine of -DockerHost (or the default) and writes its report: with -Force alone, at
        /// once; otherwise after a preview that -WhatIf lists item by item and -Confirm asks about once.
        /// </summary>
        /// <param name="preview">What would go.</param>
        /// <param name="describe">One item of the preview, as the -WhatIf line shows it.</param>
        /// <param name="itemAction">The -WhatIf action for one item, such as "Remove image".</param>
        /// <param name="summarize">The summary line of the preview, for -WhatIf and the confirmation.</param>
        /// <param name="prune">The prune itself.</param>
        /// <param name="previewed">Runs on the preview before anything is asked (to warn, for instance).</param>
        /// <param name="pruned">Runs on the report of an unattended prune, which had no preview.</param>
        private protected void RunPrune<T>(
            Func<EngineConnection, CancellationToken, Task<IReadOnlyList<T>>> preview,
            Func<T, string> describe,
            string itemAction,
            Func<IReadOnlyList<T>, DockerHost, string> summarize,
            Func<EngineConnection, CancellationToken, Task<DockerPruneResult>> prune,
            Action<EngineConnection, IReadOnlyList<T>>? previewed = null,
            Action<EngineConnection, DockerPruneResult>? pruned = null)
        {
            DockerHost host = TargetHost(null);
            EngineConnection connection = Connect(host);
            bool whatIf = IsWhatIf();
            if (Force && !whatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                // Unattended: no one reads a preview, so do not spend calls on it.
                DockerPruneResult report = Await(ct => prune(connection, ct));
                pruned?.Invoke(connection, report);
                WriteObject(report);
                return;
            }

            var items = Await(ct => preview(connection, ct));
            previewed?.Invoke(connection, items);
            string summary = summarize(items, connection.Host);
            if (whatIf)
            {
                foreach (T item in items)
                {
                    ShouldProcess(describe(item), itemAction);
                }

                ShouldProcess(summary, "Prune");
                return;
            }

            if (!ShouldProcessOrForce(summary, "Prune", Force))
            {
                return;
            }

            WriteObject(Await(ct => prune(connection, ct)));
        }
    }
}
