using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>Looking into containers: processes (top), resource use (stats) and file system changes (diff).</summary>
    internal static partial class ContainerClient
    {
        /// <summary>The container's processes, as ps (run by the engine on its host, with these options) lists them.</summary>
        public static async Task<IReadOnlyList<DockerContainerProcess>> ListProcessesAsync(EngineConnection c, DockerContainer container, string psArguments, CancellationToken ct)
        {
            var top = await c.Api.Containers.ListProcessesAsync(container.Id, new ContainerListProcessesParameters { PsArgs = psArguments }, ct).ConfigureAwait(false);
            IReadOnlyList<string> titles = top.Titles?.ToArray() ?? Array.Empty<string>();
            return (top.Processes ?? new List<IList<string>>())
                .Select(p => new DockerContainerProcess(c.Host, container.Id, container.ToString(), titles, p.ToArray()))
                .ToArray();
        }

        /// <summary>How the container's file system differs from its image.</summary>
        public static async Task<IReadOnlyList<DockerContainerChange>> ListChangesAsync(EngineConnection c, DockerContainer container, CancellationToken ct)
        {
            var changes = await c.Api.Containers.InspectChangesAsync(container.Id, ct).ConfigureAwait(false);
            return (changes ?? new List<ContainerFileSystemChangeResponse>())
                .Select(x => new DockerContainerChange(c.Host, container.Id, container.ToString(), ToKind(x.Kind), x.Path ?? string.Empty))
                .ToArray();
        }

        /// <summary>
        /// Hands resource-use snapshots to <paramref name="snapshot"/>: one, or (streaming) one a second until the
        /// stream ends or Ctrl+C. Each has CPU data from two samples, so its CPU percent means something.
        /// </summary>
        public static async Task StatsAsync(EngineConnection c, DockerContainer container, bool stream, Action<DockerContainerStats> snapshot, CancellationToken ct)
        {
            // Without streaming (and without one-shot), the engine takes two samples a second apart and sends the
            // second, with the first as its "previous" data. A stream's first sample has no previous data: skipped.
            var parameters = new ContainerStatsParameters { Stream = stream, OneShot = false };
            var samples = new Progress(sample =>
            {
                if (!stream || sample.PreRead.Year > 1)
                {
                    snapshot(DockerContainerStats.From(c.Host, container.Id, container.ToString(), sample));
                }
            });
            try
            {
                await c.Unbounded.Containers.GetContainerStatsAsync(container.Id, parameters, samples, ct).ConfigureAwait(false);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
        }

        private static ContainerChangeKind ToKind(FileSystemChangeKind kind) => kind switch
        {
            FileSystemChangeKind.Add => ContainerChangeKind.Added,
            FileSystemChangeKind.Delete => ContainerChangeKind.Deleted,
            _ => ContainerChangeKind.Changed,
        };

        /// <summary>Runs the callback on the reporting thread, in order (System.Progress would post it elsewhere).</summary>
        private sealed class Progress : IProgress<ContainerStatsResponse>
        {
            private readonly Action<ContainerStatsResponse> report;

            public Progress(Action<ContainerStatsResponse> report) => this.report = report;

            public void Report(ContainerStatsResponse value) => report(value);
        }
    }
}
