using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>What an exec should run.</summary>
    internal sealed class ExecOptions
    {
        public IList<string> Command { get; set; } = Array.Empty<string>();

        public string? User { get; set; }

        public string? WorkingDirectory { get; set; }

        public IList<string>? Environment { get; set; }

        public bool Privileged { get; set; }

        /// <summary>Bytes for standard input; null to attach none.</summary>
        public byte[]? Input { get; set; }
    }

    /// <summary>Container calls, in DockerPS's own terms.</summary>
    internal static partial class ContainerClient
    {
        public static async Task<IReadOnlyList<DockerContainer>> ListAsync(EngineConnection c, IDictionary<string, string[]>? filters, CancellationToken ct)
        {
            var engineFilters = new Dictionary<string, IDictionary<string, bool>>();
            if (filters != null)
            {
                foreach (var f in filters)
                {
                    engineFilters[f.Key] = f.Value.ToDictionary(v => v, _ => true);
                }
            }

            var list = await c.Api.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = engineFilters }, ct).ConfigureAwait(false);
            return list.Select(x => DockerContainer.From(c.Host, x)).ToArray();
        }

        /// <summary>A container by full id, id prefix or name; the engine's 404 when there is none.</summary>
        public static async Task<DockerContainer> GetAsync(EngineConnection c, string idOrName, CancellationToken ct)
        {
            var inspected = await c.Api.Containers.InspectContainerAsync(idOrName, ct).ConfigureAwait(false);
            var list = await ListAsync(c, new Dictionary<string, string[]> { ["id"] = new[] { inspected.ID } }, ct).ConfigureAwait(false);
            DockerContainer? match = list.FirstOrDefault(x => x.Id == inspected.ID);
            if (match != null)
            {
                match.ExitCode = match.State == ContainerState.Exited ? (int)(inspected.State?.ExitCode ?? 0) : match.ExitCode;
                return match;
            }

            // Gone between the two calls (an auto-removed container): report what inspect saw.
            return new DockerContainer(c.Host, inspected.ID)
            {
                Name = inspected.Name?.TrimStart('/') ?? string.Empty,
                Image = inspected.Config?.Image ?? string.Empty,
                ImageId = inspected.Image ?? string.Empty,
                Created = inspected.Created.ToUniversalTime(),
                State = DockerContainer.ParseState(inspected.State?.Status),
                Status = inspected.State?.Status ?? string.Empty,
                ExitCode = inspected.State == null ? null : (int?)inspected.State.ExitCode,
            };
        }

        /// <summary>Starts a container; false when it was already running.</summary>
        public static Task<bool> StartAsync(EngineConnection c, string id, CancellationToken ct) =>
            c.Api.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct);

        /// <summary>Stops a container (SIGTERM, then SIGKILL after the timeout); false when it was not running.</summary>
        public static async Task<bool> StopAsync(EngineConnection c, string id, uint? timeoutSeconds, CancellationToken ct)
        {
            if (timeoutSeconds == 0)
            {
                // The library leaves t=0 out of the query, so the engine would wait its default 10 s: ask it as docker stop -t 0 does.
                return await RawEngineRequest.PostAsync(c, $"containers/{Uri.EscapeDataString(id)}/stop?t=0", ct).ConfigureAwait(false) != HttpStatusCode.NotModified;
            }

            return await c.Unbounded.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = timeoutSeconds }, ct).ConfigureAwait(false);
        }

        public static Task RemoveAsync(EngineConnection c, string id, bool force, bool volumes, CancellationToken ct) =>
            c.Api.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = force, RemoveVolumes = volumes }, ct);

        /// <summary>
        /// Runs a command in a running container, handing each complete line of output to <paramref name="line"/>
        /// as it arrives (true for standard error). Returns the exit code. Ctrl+C closes the stream.
        /// </summary>
        public static async Task<long> ExecAsync(EngineConnection c, string containerId, ExecOptions o, Action<bool, string> line, CancellationToken ct)
        {
            var created = await c.Api.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
            {
                Cmd = o.Command!,
                User = o.User!,
                WorkingDir = o.WorkingDirectory!,
                Env = o.Environment!,
                Privileged = o.Privileged,
                AttachStdin = o.Input != null,
                AttachStdout = true,
                AttachStderr = true,
                TTY = false,
            }, ct).ConfigureAwait(false);

            // When the engine cannot start the command, the stream carries its error message as if it were output, and
            // only the exec's missing process tells the two apart: output is held back until a process is seen.
            var held = new HeldLines(line);
            using (MultiplexedStream stream = await c.Unbounded.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters { Detach = false, TTY = false }, ct).ConfigureAwait(false))
            using (ct.Register(stream.Dispose))
            using (var watching = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                Task<bool> started = ExecStartedAsync(c, created.ID, held, watching.Token);
                try
                {
                    Task feeding = FeedAsync(stream, o.Input, ct);
                    await ReadLinesAsync(stream, held.Line, ct).ConfigureAwait(false);
                    await feeding.ConfigureAwait(false);
                    if (!await started.ConfigureAwait(false))
                    {
                        string message = held.Text.Trim();
                        throw new CommandStartException(CommandStartException.Classify(message), message,
                            await ExecExitCodeAsync(c, created.ID, ct).ConfigureAwait(false));
                    }
                }
                finally
                {
                    // A broken stream ends the watch too.
                    watching.Cancel();
                }
            }

            return await ExecExitCodeAsync(c, created.ID, ct).ConfigureAwait(false);
        }

        /// <summary>True once the exec has a process (and lets its output through); false when it ended without one.</summary>
        private static async Task<bool> ExecStartedAsync(EngineConnection c, string execId, HeldLines held, CancellationToken ct)
        {
            while (true)
            {
                var inspected = await c.Api.Exec.InspectContainerExecAsync(execId, ct).ConfigureAwait(false);
                if (inspected.Pid != 0)
                {
                    held.Release();
                    return true;
                }

                if (!inspected.Running && inspected.ExitCode.HasValue)
                {
                    return false;
                }

                await Task.Delay(10, ct).ConfigureAwait(false);
            }
        }

        /// <summary>The exit code of an exec whose output has ended.</summary>
        internal static async Task<long> ExecExitCodeAsync(EngineConnection c, string execId, CancellationToken ct)
        {
            // The exit code can lag the end of the stream by a moment.
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var inspected = await c.Api.Exec.InspectContainerExecAsync(execId, ct).ConfigureAwait(false);
                if (!inspected.Running && inspected.ExitCode.HasValue)
                {
                    return inspected.ExitCode.Value;
                }

                if (watch.Elapsed > TimeSpan.FromSeconds(10))
                {
                    return inspected.ExitCode ?? -1;
                }

                await Task.Delay(20, ct).ConfigureAwait(false);
            }
        }

        /// <summary>Output lines kept back until <see cref="Release"/>, then handed on in order, and from then on as they come.</summary>
        private sealed class HeldLines
        {
            private readonly Action<bool, string> line;
            private readonly object gate = new object();
            private List<KeyValuePair<bool, string>>? held = new List<KeyValuePair<bool, string>>();

            public HeldLines(Action<bool, string> line) => this.line = line;

            /// <summary>What is held, as one text (the engine's message when the command never started).</summary>
            public string Text
            {
                get
                {
                    lock (gate)
                    {
                        return held == null ? string.Empty : string.Join("\n", held.Select(l => l.Value));
                    }
                }
            }

            public void Line(bool isError, string text)
            {
                lock (gate)
                {
                    if (held != null)
                    {
                        held.Add(new KeyValuePair<bool, string>(isError, text));
                        return;
                    }

                    line(isError, text);
                }
            }

            public void Release()
            {
                lock (gate)
                {
                    foreach (var l in held ?? Enumerable.Empty<KeyValuePair<bool, string>>())
                    {
                        line(l.Key, l.Value);
                    }

                    held = null;
                }
            }
        }

        /// <summary>Cuts a byte stream into UTF-8 lines, keeping characters split across reads whole.</summary>
        private sealed class LineSplitter
        {
            private readonly Decoder decoder = new UTF8Encoding(false).GetDecoder();
            private readonly StringBuilder pending = new StringBuilder();
            private readonly Action<string> emit;
            private readonly char[] chars = new char[81920 + 4];

            public LineSplitter(Action<string> emit) => this.emit = emit;

            public void Add(byte[] bytes, int offset, int count)
            {
                int n = decoder.GetChars(bytes, offset, count, chars, 0);
                for (int i = 0; i < n; i++)
                {
                    char ch = chars[i];
                    if (ch == '\n')
                    {
                        Emit();
                    }
                    else
                    {
                        pending.Append(ch);
                    }
                }
            }

            public void Flush()
            {
                if (pending.Length > 0)
                {
                    Emit();
                }
            }

            private void Emit()
            {
                if (pending.Length > 0 && pending[pending.Length - 1] == '\r')
                {
                    pending.Length--;
                }

                emit(pending.ToString());
                pending.Clear();
            }
        }
    }
}
