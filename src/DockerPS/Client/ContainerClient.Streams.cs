using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Specs;

namespace DockerPS.Client
{
    /// <summary>What Get-DockerContainerLog asks the engine for.</summary>
    internal sealed class LogOptions
    {
        public bool Follow { get; set; }

        /// <summary>"all", or how many lines from the end.</summary>
        public string Tail { get; set; } = "all";

        /// <summary>The engine's since argument (Unix seconds with up to nine fraction digits), or null.</summary>
        public string? Since { get; set; }

        /// <summary>The engine's until argument (Unix seconds with up to nine fraction digits), or null.</summary>
        public string? Until { get; set; }
    }

    /// <summary>How a wait for a container ended.</summary>
    internal readonly struct ContainerExit
    {
        public ContainerExit(long exitCode, string? error)
        {
            ExitCode = exitCode;
            Error = error;
        }

        public long ExitCode { get; }

        /// <summary>The engine's error text, if it gave one.</summary>
        public string? Error { get; }
    }

    /// <summary>Container output streams: run attached, logs, waits.</summary>
    internal static partial class ContainerClient
    {
        /// <summary>
        /// Runs a created container as docker run does: attaches to its output (and input) before starting it, so no
        /// output is lost, hands each complete line to <paramref name="line"/> (true for standard error) as it arrives,
        /// and returns the exit code once it has exited. Ctrl+C closes the streams.
        /// </summary>
        public static async Task<long> RunAttachedAsync(EngineConnection c, DockerContainer container, byte[]? input, Action<bool, string> line, CancellationToken ct)
        {
            // Subscribed from the container's creation on, so its exit is seen even if it comes before the subscription
            // is in place, and even when the engine removes it at once (-AutoRemove).
            using (ExitEvents exits = ExitEvents.Open(c, container.Id, container.Created, ct))
            {
                var attach = new ContainerAttachParameters { Stream = true, Stdin = input != null, Stdout = true, Stderr = true };
                using (MultiplexedStream stream = await c.Unbounded.Containers.AttachContainerAsync(container.Id, attach, ct).ConfigureAwait(false))
                using (ct.Register(stream.Dispose))
                {
                    await StartCommandAsync(c, container.Id, ct).ConfigureAwait(false);
                    Task feeding = FeedAsync(stream, input, ct);
                    await ReadLinesAsync(stream, line, ct).ConfigureAwait(false);
                    await feeding.ConfigureAwait(false);
                }

                return await exits.NextExitAsync(requireStart: false, ct).ConfigureAwait(false);
            }
        }

        /// <summary>Starts a container; a command the engine cannot run is a <see cref="CommandStartException"/>.</summary>
        private static async Task StartCommandAsync(EngineConnection c, string id, CancellationToken ct)
        {
            try
            {
                await c.Api.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (CommandStartException.Classify(EngineAnswer.Message(ex)) != CommandStartFailure.Other)
            {
                string message = EngineAnswer.Message(ex);
                throw new CommandStartException(CommandStartException.Classify(message), message, null, ex);
            }
        }

        /// <summary>
        /// Streams a container's log, handing on each line with its stream, timestamp and the engine's timestamp text.
        /// With Follow, it goes on until the container stops or Ctrl+C closes the stream.
        /// </summary>
        public static async Task LogsAsync(EngineConnection c, string containerId, LogOptions o, Action<LogStream, DateTime, string, string> entry, CancellationToken ct)
        {
            var parameters = new ContainerLogsParameters
            {
                ShowStdout = true,
                ShowStderr = true,
                Timestamps = true,
                Follow = o.Follow,
                Tail = o.Tail,
                Since = o.Since!,
                Until = o.Until!,
            };
            using (MultiplexedStream stream = await c.Unbounded.Containers.GetContainerLogsAsync(containerId, parameters, ct).ConfigureAwait(false))
            using (ct.Register(stream.Dispose))
            {
                await ReadLinesAsync(stream, (isError, text) =>
                {
                    // Each line comes as "<RFC 3339 timestamp> <message>", also for containers with a terminal.
                    int space = text.IndexOf(' ');
                    string stamp = space < 0 ? text : text.Substring(0, space);
                    if (!TryParseEngineTime(stamp, out DateTime when))
                    {
                        throw new IOException($"The engine sent a log line without a timestamp: '{text}'.");
                    }

                    entry(isError ? LogStream.StdErr : LogStream.StdOut, when, stamp, space < 0 ? string.Empty : text.Substring(space + 1));
                }, ct, stamped: true).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Waits until the container meets the condition and returns its exit code; <paramref name="waiting"/> is told
        /// when nothing that happens from then on can be missed. Ctrl+C ends the wait.
        /// </summary>
        public static async Task<ContainerExit> WaitAsync(EngineConnection c, string containerId, ContainerWaitCondition condition, Action waiting, CancellationToken ct)
        {
            if (condition == ContainerWaitCondition.NotRunning)
            {
                Task<ContainerWaitResponse> wait = c.Unbounded.Containers.WaitContainerAsync(containerId, ct);
                waiting();
                ContainerWaitResponse waited = await wait.ConfigureAwait(false);
                return new ContainerExit(waited.StatusCode, string.IsNullOrEmpty(waited.Error?.Message) ? null : waited.Error!.Message);
            }

            // The engine's own next-exit and removed conditions are out of the client library's reach: its events are not.
            if (condition == ContainerWaitCondition.NextExit)
            {
                // The engine's clock is read before the look at the container, so no event after that look is missed.
                // Running: the next die is its exit. Not running: only a die that follows a new start counts.
                SystemInfoResponse info = await c.Api.System.GetSystemInfoAsync(ct).ConfigureAwait(false);
                DateTime? now = info.SystemTime != null && TryParseEngineTime(info.SystemTime, out DateTime parsed) ? parsed : (DateTime?)null;
                ContainerInspectResponse seen = await c.Api.Containers.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
                using (ExitEvents exits = ExitEvents.Open(c, seen.ID, now, ct))
                {
                    waiting();
                    return new ContainerExit(await exits.NextExitAsync(requireStart: seen.State?.Running != true, ct).ConfigureAwait(false), null);
                }
            }

            // Replayed from the container's creation on, so a removal that comes before the subscription still counts.
            ContainerInspectResponse inspected = await c.Api.Containers.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
            using (ExitEvents removals = ExitEvents.Open(c, inspected.ID, inspected.Created, ct))
            {
                waiting();
                long? code = await removals.RemovedAsync(ct).ConfigureAwait(false);
                return new ContainerExit(code ?? inspected.State?.ExitCode ?? 0, null);
            }
        }

        /// <summary>
        /// Reads a container's output stream to its end, handing on each complete line (true for standard error).
        /// <paramref name="stamped"/> is for logs asked with timestamps: the engine stores a line longer than 16 KiB as
        /// several partial messages and sends each with its own timestamp, so the timestamp at the head of a piece that
        /// continues an unfinished line is dropped and the line comes out whole, with its first piece's time.
        /// </summary>
        internal static async Task ReadLinesAsync(MultiplexedStream stream, Action<bool, string> line, CancellationToken ct, bool stamped = false)
        {
            var stdout = new LineSplitter(s => line(false, s));
            var stderr = new LineSplitter(s => line(true, s));
            var midLine = new bool[3];
            var buffer = new byte[81920];
            while (true)
            {
                MultiplexedStream.ReadResult read;
                try
                {
                    read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    throw new OperationCanceledException(ct);
                }

                if (read.EOF)
                {
                    break;
                }

                bool isError = read.Target == MultiplexedStream.TargetStream.StandardError;
                int target = (int)read.Target;

                // A read of a multiplexed stream never spans two of the engine's messages: each starts at the head of a read.
                int skip = stamped && midLine[target] ? PieceStampLength(buffer, read.Count) : 0;
                (isError ? stderr : stdout).Add(buffer, skip, read.Count - skip);
                midLine[target] = buffer[read.Count - 1] != (byte)'\n';
            }

            stdout.Flush();
            stderr.Flush();
        }

        /// <summary>
        /// The length of the engine's timestamp and its space at the head of a log piece ("2006-01-02T15:04:05.000000000Z "
        /// or with a "+07:00" offset: the engine's fixed nine-digit form), or 0 when the piece does not start with one.
        /// </summary>
        private static int PieceStampLength(byte[] b, int count)
        {
            const string Shape = "dddd-dd-ddTdd:dd:dd.ddddddddd";
            if (count <= Shape.Length)
            {
                return 0;
            }

            for (int i = 0; i < Shape.Length; i++)
            {
                bool fits = Shape[i] == 'd' ? b[i] >= (byte)'0' && b[i] <= (byte)'9' : b[i] == (byte)Shape[i];
                if (!fits)
                {
                    return 0;
                }
            }

            int zone = Shape.Length;
            int end = b[zone] == (byte)'Z' ? zone + 1
                : (b[zone] == (byte)'+' || b[zone] == (byte)'-') && count > zone + 6 && b[zone + 3] == (byte)':' ? zone + 6
                : 0;
            return end > 0 && end < count && b[end] == (byte)' ' ? end + 1 : 0;
        }

        /// <summary>Writes the input, if any, to the stream and closes the stream's input side.</summary>
        internal static Task FeedAsync(MultiplexedStream stream, byte[]? input, CancellationToken ct)
        {
            if (input == null)
            {
                return Task.CompletedTask;
            }

            return Task.Run(async () =>
            {
                try
                {
                    await stream.WriteAsync(input, 0, input.Length, ct).ConfigureAwait(false);
                    stream.CloseWrite();
                }
                catch (IOException) when (!ct.IsCancellationRequested)
                {
                    // The command ended or closed its input without reading it all, as a pipe reader may.
                }
            }, ct);
        }

        /// <summary>Lines as UTF-8 bytes, each followed by a newline.</summary>
        internal static byte[] InputBytes(IReadOnlyCollection<string> lines) =>
            Encoding.UTF8.GetBytes(string.Join("\n", lines) + (lines.Count > 0 ? "\n" : string.Empty));

        /// <summary>The engine's RFC 3339 time (up to nine fraction digits) as a UTC DateTime.</summary>
        internal static bool TryParseEngineTime(string text, out DateTime utc)
        {
            // .NET keeps seven fraction digits.
            int dot = text.IndexOf('.');
            if (dot > 0)
            {
                int end = dot + 1;
                while (end < text.Length && char.IsDigit(text[end]))
                {
                    end++;
                }

                if (end - dot - 1 > 7)
                {
                    text = text.Substring(0, dot + 8) + text.Substring(end);
                }
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);
        }

        /// <summary>
        /// A container's start, die and destroy events, live or from a point in time on (the engine replays what it still
        /// holds), so that an exit between a look at the container and the subscription is not missed.
        /// </summary>
        private sealed class ExitEvents : IProgress<Message>, IDisposable
        {
            private readonly string id;
            private readonly ConcurrentQueue<Message> received = new ConcurrentQueue<Message>();
            private readonly SemaphoreSlim arrived = new SemaphoreSlim(0);
            private readonly CancellationTokenSource stop;
            private Task monitor = Task.CompletedTask;

            private ExitEvents(string id, CancellationToken ct)
            {
                this.id = id;
                stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            }

            /// <summary>Subscribes to the events; with <paramref name="since"/>, the engine first replays those from then on.</summary>
            public static ExitEvents Open(EngineConnection c, string id, DateTime? since, CancellationToken ct)
            {
                var parameters = new ContainerEventsParameters
                {
                    Since = since.HasValue ? UnixTime.Argument(since.Value) : null!,
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["type"] = new Dictionary<string, bool> { ["container"] = true },
                        ["container"] = new Dictionary<string, bool> { [id] = true },
                        ["event"] = new Dictionary<string, bool> { ["start"] = true, ["die"] = true, ["destroy"] = true },
                    },
                };
                var events = new ExitEvents(id, ct);
                events.monitor = c.Unbounded.System.MonitorEventsAsync(parameters, events, events.stop.Token);
                return events;
            }

            /// <summary>The exit code of the next die (after a start, if asked).</summary>
            public async Task<long> NextExitAsync(bool requireStart, CancellationToken ct)
            {
                bool started = !requireStart;
                while (true)
                {
                    Message? message = await NextAsync(ct).ConfigureAwait(false);
                    switch (message?.Action)
                    {
                        case null:
                            throw Ended("exited");
                        case "start":
                            started = true;
                            break;
                        case "die" when started:
                            return ExitCode(message) ?? 0;
                    }
                }
            }

            /// <summary>Waits for the destroy event; returns the exit code of the last die seen before it.</summary>
            public async Task<long?> RemovedAsync(CancellationToken ct)
            {
                long? last = null;
                while (true)
                {
                    Message? message = await NextAsync(ct).ConfigureAwait(false);
                    switch (message?.Action)
                    {
                        case null:
                            throw Ended("was removed");
                        case "die":
                            last = ExitCode(message);
                            break;
                        case "destroy":
                            return last;
                    }
                }
            }

            public void Report(Message value)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                received.Enqueue(value);
                arrived.Release();
            }

            public void Dispose()
            {
                stop.Cancel();

                // The monitor ends on the cancellation; its outcome no longer matters.
                monitor.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                stop.Dispose();
                arrived.Dispose();
            }

            private static long? ExitCode(Message message) =>
                message.Actor?.Attributes != null && message.Actor.Attributes.TryGetValue("exitCode", out string? text)
                    && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long code)
                    ? code
                    : (long?)null;

            private IOException Ended(string what) =>
                new IOException($"The engine's event stream ended before container {Naming.ShortId(id)} {what}.");

            /// <summary>The next event, or null when the stream has ended.</summary>
            private async Task<Message?> NextAsync(CancellationToken ct)
            {
                while (true)
                {
                    if (received.TryDequeue(out Message? message))
                    {
                        return message;
                    }

                    if (monitor.IsCompleted)
                    {
                        // Rethrows the stream's failure, if it failed.
                        await monitor.ConfigureAwait(false);
                        return received.TryDequeue(out message) ? message : null;
                    }

                    await Task.WhenAny(arrived.WaitAsync(ct), monitor).ConfigureAwait(false);
                    ct.ThrowIfCancellationRequested();
                }
            }
        }
    }
}
