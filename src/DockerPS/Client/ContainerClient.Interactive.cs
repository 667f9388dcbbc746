using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Terminal;

namespace DockerPS.Client
{
    /// <summary>What an interactive session runs: a new process (exec -it), or the container's main process (attach).</summary>
    internal sealed class InteractiveOptions
    {
        public IList<string> Command { get; set; } = Array.Empty<string>();

        public string? User { get; set; }

        public string? WorkingDirectory { get; set; }

        /// <summary>Attach to the main process instead of starting a new one.</summary>
        public bool Attach { get; set; }
    }

    /// <summary>Interactive sessions in a terminal.</summary>
    internal static partial class ContainerClient
    {
        /// <summary>How often typed input is looked for, and the terminal's size compared.</summary>
        private const int InputPollMilliseconds = 100;

        /// <summary>
        /// Runs an interactive session: keystrokes to the process, its output to the terminal, the process's terminal
        /// kept at the console's size. Ends when the process ends (or, attached, when detached with Ctrl+P Ctrl+Q).
        /// Returns the exit code; null when the main process still runs (detached).
        /// </summary>
        public static async Task<long?> InteractiveAsync(EngineConnection c, string containerId, InteractiveOptions o, RawConsole console, CancellationToken ct)
        {
            string? execId = null;
            MultiplexedStream stream;
            if (o.Attach)
            {
                var attach = new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true };
                stream = await c.Unbounded.Containers.AttachContainerAsync(containerId, attach, ct).ConfigureAwait(false);
            }
            else
            {
                var created = await c.Api.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
                {
                    Cmd = o.Command,
                    User = o.User!,
                    WorkingDir = o.WorkingDirectory!,
                    AttachStdin = true,
                    AttachStdout = true,
                    AttachStderr = true,
                    TTY = true,
                }, ct).ConfigureAwait(false);
                execId = created.ID;
                stream = await c.Unbounded.Exec.StartContainerExecAsync(execId, new ContainerExecStartParameters { TTY = true }, ct).ConfigureAwait(false);
            }

            Func<(int Width, int Height), Task> resize = size =>
            {
                var parameters = new ContainerResizeParameters { Width = size.Width, Height = size.Height };
                return execId != null
                    ? c.Api.Exec.ResizeExecTtyAsync(execId, parameters, ct)
                    : c.Api.Containers.ResizeContainerTtyAsync(containerId, parameters, ct);
            };

            using (stream)
            using (ct.Register(stream.Dispose))
            using (var ended = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                await ResizeAsync(resize, console.Size, retries: 10, ct).ConfigureAwait(false);
                Task typing = Task.Run(() => TypeAsync(console, stream, resize, ended.Token), ended.Token);
                var buffer = new byte[32768];
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

                    console.Write(buffer, read.Count);
                }

                ended.Cancel();
                try
                {
                    await typing.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The session ended while a keystroke was on its way: it had nowhere to go.
                }
            }

            if (execId != null)
            {
                return await ExecExitCodeAsync(c, execId, ct).ConfigureAwait(false);
            }

            var inspected = await c.Api.Containers.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
            return inspected.State == null || inspected.State.Running ? (long?)null : inspected.State.ExitCode;
        }

        /// <summary>Sends keystrokes until the session ends; follows the console's size.</summary>
        private static async Task TypeAsync(RawConsole console, MultiplexedStream stream, Func<(int Width, int Height), Task> resize, CancellationToken ended)
        {
            var buffer = new byte[4096];
            var size = console.Size;
            while (!ended.IsCancellationRequested)
            {
                int read = console.Read(buffer, InputPollMilliseconds);

                // A resize goes first, so that what was typed after it runs at the new size.
                var now = console.Size;
                if (now != size)
                {
                    size = now;
                    await ResizeAsync(resize, size, retries: 0, ended).ConfigureAwait(false);
                }

                try
                {
                    if (read < 0)
                    {
                        // The end of the terminal's input is the end of the process's.
                        stream.CloseWrite();
                        return;
                    }

                    if (read > 0)
                    {
                        await stream.WriteAsync(buffer, 0, read, ended).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException)
                {
                    // The process ended and its input closed; the output side ends the session.
                    return;
                }
            }
        }

        /// <summary>Sets the process's terminal size; right after the start the process may not be there yet, so it retries.</summary>
        private static async Task ResizeAsync(Func<(int Width, int Height), Task> resize, (int Width, int Height) size, int retries, CancellationToken ct)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    await resize(size).ConfigureAwait(false);
                    return;
                }
                catch (DockerApiException) when (attempt < retries)
                {
                    await Task.Delay(10 * (attempt + 1), ct).ConfigureAwait(false);
                }
                catch (DockerApiException)
                {
                    // A terminal of the wrong size is no reason to end the session.
                    return;
                }
            }
        }
    }
}
