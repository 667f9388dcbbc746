using System;
using System.ComponentModel;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using DockerPS.Errors;

namespace DockerPS.Terminal
{
    /// <summary>
    /// The process's own terminal in raw mode, as the docker CLI uses it for exec -it: keystrokes go out as bytes
    /// (Ctrl+C included, for the program in the container to act on) and output comes back as bytes, untouched.
    /// </summary>
    internal sealed class RawConsole : IDisposable
    {
        private const int StandardInput = 0;
        private const int SetNow = 0;
        private const short PollIn = 1;
        private const int Interrupted = 4;

        // Larger than struct termios on every Unix (60 bytes on Linux, 72 on macOS): only the C library reads it.
        private const int TermiosBytes = 256;

        private readonly byte[] saved;
        private readonly Stream output;
        private bool restored;

        private RawConsole(byte[] saved)
        {
            this.saved = saved;
            output = Console.OpenStandardOutput();
        }

        /// <summary>The terminal's size in columns and rows.</summary>
        public (int Width, int Height) Size => (Console.WindowWidth, Console.WindowHeight);

        /// <summary>Why no interactive session can run here; null when one can.</summary>
        public static DockerPSException? Unavailable(string command)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new DockerPSException(ErrorIds.ConsoleNotSupported, ErrorCategory.NotImplemented, command,
                    $"{command} needs a Unix terminal (Linux or macOS) in this version of DockerPS. On Windows, use docker exec -it, or Invoke-DockerExec for a command without a terminal.");
            }

            if (Console.IsInputRedirected || Console.IsOutputRedirected)
            {
                return new DockerPSException(ErrorIds.ConsoleRequired, ErrorCategory.InvalidOperation, command,
                    $"{command} needs an interactive terminal, and this PowerShell host has none (its input or output is redirected). Run it in an interactive pwsh console; to run a command without a terminal, use Invoke-DockerExec.");
            }

            return null;
        }

        /// <summary>Puts the terminal in raw mode until disposed.</summary>
        public static RawConsole Open()
        {
            var saved = new byte[TermiosBytes];
            Check(tcgetattr(StandardInput, saved), "read the terminal's settings");
            var raw = (byte[])saved.Clone();
            cfmakeraw(raw);
            Check(tcsetattr(StandardInput, SetNow, raw), "put the terminal in raw mode");
            Console.Out.Flush();
            return new RawConsole(saved);
        }

        /// <summary>Reads what was typed, waiting at most the time-out: the bytes read, 0 for none yet, -1 at the end of input.</summary>
        public int Read(byte[] buffer, int timeoutMilliseconds)
        {
            var fds = new[] { new PollDescriptor { Descriptor = StandardInput, Events = PollIn } };
            int ready = poll(fds, (UIntPtr)1, timeoutMilliseconds);
            if (ready == 0 || (ready < 0 && Marshal.GetLastWin32Error() == Interrupted))
            {
                return 0;
            }

            Check(ready, "wait for input");
            long read = (long)read_input(StandardInput, buffer, (UIntPtr)buffer.Length);
            if (read < 0)
            {
                if (Marshal.GetLastWin32Error() == Interrupted)
                {
                    return 0;
                }

                Check(-1, "read input");
            }

            return read == 0 ? -1 : (int)read;
        }

        /// <summary>Writes bytes to the terminal as they are.</summary>
        public void Write(byte[] buffer, int count)
        {
            output.Write(buffer, 0, count);
            output.Flush();
        }

        public void Dispose()
        {
            if (!restored)
            {
                restored = true;
                tcsetattr(StandardInput, SetNow, saved);
            }

            output.Dispose();
        }

        private static void Check(int result, string what)
        {
            if (result < 0)
            {
                throw new IOException($"Could not {what}: {Wording.Clause(new Win32Exception(Marshal.GetLastWin32Error()).Message)}.");
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int tcgetattr(int fd, [Out] byte[] termios);

        [DllImport("libc", SetLastError = true)]
        private static extern int tcsetattr(int fd, int optionalActions, [In] byte[] termios);

        [DllImport("libc")]
        private static extern void cfmakeraw([In, Out] byte[] termios);

        [DllImport("libc", SetLastError = true)]
        private static extern int poll([In, Out] PollDescriptor[] fds, UIntPtr count, int timeoutMilliseconds);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        private static extern IntPtr read_input(int fd, [Out] byte[] buffer, UIntPtr count);

        [StructLayout(LayoutKind.Sequential)]
        private struct PollDescriptor
        {
            public int Descriptor;
            public short Events;
            public short ReturnedEvents;
        }
    }
}
