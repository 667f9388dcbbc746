using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
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
        /// stream ends or Ctrl+C closes it. Each has CPU data from two samples, so its CPU percent means something.
        /// </summary>
        public static async Task StatsAsync(EngineConnection c, DockerContainer container, bool stream, Action<DockerContainerStats> snapshot, CancellationToken ct)
        {
            // Without streaming (and without one-shot), the engine takes two samples a second apart and sends the
            // second, with the first as its "previous" data. A stream's first sample has no previous data: skipped.
            var parameters = new ContainerStatsParameters { Stream = stream, OneShot = false };
#pragma warning disable CS0618 // The overload that hands out the stream is the one that lets Ctrl+C close it at once.
            using Stream source = await c.Unbounded.Containers.GetContainerStatsAsync(container.Id, parameters, ct).ConfigureAwait(false);
#pragma warning restore CS0618
            using (ct.Register(source.Dispose))
            {
                try
                {
                    await ReadJsonLinesAsync(source, line =>
                    {
                        ContainerStatsResponse sample = JsonSerializer.Deserialize<ContainerStatsResponse>(line)
                            ?? throw new InvalidDataException("the engine sent an empty stats sample");
                        if (!stream || sample.PreRead.Year > 1)
                        {
                            snapshot(DockerContainerStats.From(c.Host, container.Id, container.ToString(), sample));
                        }
                    }, ct).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    throw new OperationCanceledException(ct);
                }
            }
        }

        private static ContainerChangeKind ToKind(FileSystemChangeKind kind) => kind switch
        {
            FileSystemChangeKind.Add => ContainerChangeKind.Added,
            FileSystemChangeKind.Delete => ContainerChangeKind.Deleted,
            _ => ContainerChangeKind.Changed,
        };

        /// <summary>Reads newline-separated JSON documents as they arrive and hands each one's bytes on.</summary>
        private static async Task ReadJsonLinesAsync(Stream source, Action<byte[]> document, CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            var pending = new MemoryStream();
            int read;
            while ((read = await source.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
            {
                int start = 0;
                for (int i = Array.IndexOf(buffer, (byte)'\n', 0, read); i >= 0; i = Array.IndexOf(buffer, (byte)'\n', start, read - start))
                {
                    pending.Write(buffer, start, i - start);
                    start = i + 1;
                    Emit(pending, document);
                }

                pending.Write(buffer, start, read - start);
            }

            Emit(pending, document);
        }

        private static void Emit(MemoryStream pending, Action<byte[]> document)
        {
            byte[] line = pending.ToArray();
            pending.SetLength(0);
            if (line.Any(b => b > (byte)' '))
            {
                document(line);
            }
        }
    }
}
