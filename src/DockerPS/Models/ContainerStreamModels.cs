using System;

namespace DockerPS
{
    /// <summary>The output stream of a container a log line was written to.</summary>
    public enum LogStream
    {
        StdOut,
        StdErr,
    }

    /// <summary>What Wait-DockerContainer waits for.</summary>
    public enum ContainerWaitCondition
    {
        /// <summary>The container is not running: returns at once for a created or exited container.</summary>
        NotRunning,

        /// <summary>The container's next exit, after its next start when it is not running now.</summary>
        NextExit,

        /// <summary>The container is removed.</summary>
        Removed,
    }

    /// <summary>One line of a container's log, like a line of docker logs.</summary>
    public sealed class DockerContainerLogEntry
    {
        internal DockerContainerLogEntry(DockerHost host, string container, string containerId, LogStream stream, DateTime timestamp, string timestampText, string message)
        {
            DockerHost = host;
            Container = container;
            ContainerId = containerId;
            Stream = stream;
            Timestamp = timestamp;
            TimestampText = timestampText;
            Message = message;
        }

        /// <summary>The name of the container that wrote the line.</summary>
        public string Container { get; }

        /// <summary>The full id of that container.</summary>
        public string ContainerId { get; }

        /// <summary>StdOut or StdErr; everything is StdOut for a container with a terminal (-Tty).</summary>
        public LogStream Stream { get; }

        /// <summary>When the engine received the line (UTC).</summary>
        public DateTime Timestamp { get; }

        /// <summary>The line, without its line ending.</summary>
        public string Message { get; }

        /// <summary>The engine of the container.</summary>
        public DockerHost DockerHost { get; }

        /// <summary>The engine's own timestamp text (RFC 3339 with nanoseconds), shown as docker logs -t shows it.</summary>
        internal string TimestampText { get; }

        /// <summary>The width the container name is padded to in front of the line; 0 shows no name.</summary>
        internal int LabelWidth { get; set; }

        /// <summary>Whether the line is shown with its timestamp.</summary>
        internal bool ShowTimestamp { get; set; }

        /// <summary>The line as docker logs prints it, after the container's name when several containers are shown.</summary>
        public override string ToString()
        {
            string line = ShowTimestamp ? TimestampText + " " + Message : Message;
            return LabelWidth > 0 ? Container.PadRight(LabelWidth) + " | " + line : line;
        }
    }

    /// <summary>How a container ended, as Wait-DockerContainer reports it.</summary>
    public sealed class DockerContainerExitStatus
    {
        internal DockerContainerExitStatus(DockerHost host, string container, string containerId, long exitCode, string? error)
        {
            DockerHost = host;
            Container = container;
            ContainerId = containerId;
            ExitCode = exitCode;
            Error = error;
        }

        /// <summary>The container's name.</summary>
        public string Container { get; }

        /// <summary>The container's full id.</summary>
        public string ContainerId { get; }

        /// <summary>The exit code of the container's main process.</summary>
        public long ExitCode { get; }

        /// <summary>The engine's error text when the container could not be waited for properly; null otherwise.</summary>
        public string? Error { get; }

        /// <summary>The engine of the container.</summary>
        public DockerHost DockerHost { get; }

        public override string ToString() => $"{Container}: {ExitCode}";
    }
}
