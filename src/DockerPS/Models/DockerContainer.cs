using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Docker.DotNet.Models;

namespace DockerPS
{
    /// <summary>The lifecycle state of a container.</summary>
    public enum ContainerState
    {
        Unknown,
        Created,
        Running,
        Paused,
        Restarting,
        Removing,
        Exited,
        Dead,
    }

    /// <summary>A published or exposed port of a container.</summary>
    public sealed class ContainerPort
    {
        internal ContainerPort(int privatePort, string protocol, string? hostIP, int? publicPort)
        {
            PrivatePort = privatePort;
            Protocol = protocol;
            HostIP = hostIP;
            PublicPort = publicPort;
        }

        /// <summary>The port inside the container.</summary>
        public int PrivatePort { get; }

        /// <summary>tcp, udp or sctp.</summary>
        public string Protocol { get; }

        /// <summary>The host address the port is published on, if published.</summary>
        public string? HostIP { get; }

        /// <summary>The host port, if published.</summary>
        public int? PublicPort { get; }

        public override string ToString() => PublicPort.HasValue
            ? $"{Display.HostAddress(string.IsNullOrEmpty(HostIP) ? "0.0.0.0" : HostIP!)}:{PublicPort}->{PrivatePort}/{Protocol}"
            : $"{PrivatePort}/{Protocol}";
    }

    /// <summary>A container on an engine.</summary>
    public sealed partial class DockerContainer
    {
        internal DockerContainer(DockerHost host, string id)
        {
            DockerHost = host;
            Id = id;
        }

        /// <summary>The full container id.</summary>
        public string Id { get; }

        /// <summary>The 12-character id the docker CLI shows.</summary>
        public string ShortId => Naming.ShortId(Id);

        /// <summary>The container's name, without the leading slash.</summary>
        public string Name { get; internal set; } = string.Empty;

        /// <summary>The image reference the container was created from.</summary>
        public string Image { get; internal set; } = string.Empty;

        /// <summary>The id of that image.</summary>
        public string ImageId { get; internal set; } = string.Empty;

        /// <summary>The command the container runs.</summary>
        public string Command { get; internal set; } = string.Empty;

        /// <summary>When the container was created (UTC).</summary>
        public DateTime Created { get; internal set; }

        /// <summary>Created, Running, Paused, Restarting, Removing, Exited or Dead.</summary>
        public ContainerState State { get; internal set; }

        /// <summary>The engine's status text, such as "Up 3 minutes" or "Exited (0) 2 seconds ago".</summary>
        public string Status { get; internal set; } = string.Empty;

        /// <summary>The exit code, for an exited container; null otherwise or when the engine did not say.</summary>
        public int? ExitCode { get; internal set; }

        /// <summary>Published and exposed ports.</summary>
        public IReadOnlyList<ContainerPort> Ports { get; internal set; } = Array.Empty<ContainerPort>();

        /// <summary>Labels of the container.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();

        /// <summary>Names of the networks the container is attached to.</summary>
        public IReadOnlyList<string> Networks { get; internal set; } = Array.Empty<string>();

        /// <summary>Volumes and binds: type, source, destination, mode and whether it is writable.</summary>
        public IReadOnlyList<ContainerMount> Mounts { get; internal set; } = Array.Empty<ContainerMount>();

        /// <summary>The engine the container lives on.</summary>
        public DockerHost DockerHost { get; }

        public override string ToString() => Name.Length > 0 ? Name : ShortId;

        internal static DockerContainer From(DockerHost host, ContainerListResponse r)
        {
            ContainerState state = ParseState(r.State);
            return new DockerContainer(host, r.ID)
            {
                Name = r.Names?.Select(n => n.TrimStart('/')).FirstOrDefault(n => n.IndexOf('/') < 0) ?? string.Empty,
                Image = r.Image ?? string.Empty,
                ImageId = r.ImageID ?? string.Empty,
                Command = r.Command ?? string.Empty,
                Created = r.Created.ToUniversalTime(),
                State = state,
                Status = r.Status ?? string.Empty,
                ExitCode = state == ContainerState.Exited ? ExitCodeFromStatus(r.Status) : null,
                Ports = (r.Ports ?? new List<PortSummary>())
                    .Select(p => new ContainerPort(p.PrivatePort, p.Type ?? "tcp", string.IsNullOrEmpty(p.IP) ? null : p.IP, p.PublicPort))
                    .OrderBy(p => p.PrivatePort).ThenBy(p => p.HostIP, StringComparer.Ordinal)
                    .ToArray(),
                Labels = Naming.Labels(r.Labels),
                Networks = r.NetworkSettings?.Networks?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>(),
                Mounts = ContainerMount.From(r.Mounts),
            };
        }

        internal static ContainerState ParseState(string? state) =>
            Enum.TryParse(state, true, out ContainerState parsed) ? parsed : ContainerState.Unknown;

        /// <summary>The list call gives the exit code only inside the status text: "Exited (137) 3 seconds ago".</summary>
        private static int? ExitCodeFromStatus(string? status)
        {
            if (status == null)
            {
                return null;
            }

            int open = status.IndexOf('(');
            int close = open < 0 ? -1 : status.IndexOf(')', open);
            return close > open + 1 && int.TryParse(status.Substring(open + 1, close - open - 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out int code)
                ? code
                : (int?)null;
        }
    }

    /// <summary>What Invoke-DockerExec -PassThru and Invoke-DockerContainer -PassThru return.</summary>
    public sealed class DockerExecResult
    {
        internal DockerExecResult(DockerContainer container, IReadOnlyList<string> command, long exitCode, string stdOut, string stdErr, TimeSpan duration)
        {
            Container = container;
            Command = command;
            ExitCode = exitCode;
            StdOut = stdOut;
            StdErr = stdErr;
            Duration = duration;
        }

        /// <summary>The container the command ran in.</summary>
        public DockerContainer Container { get; }

        /// <summary>The command and its arguments.</summary>
        public IReadOnlyList<string> Command { get; }

        /// <summary>The command's exit code.</summary>
        public long ExitCode { get; }

        /// <summary>Standard output, without the final newline.</summary>
        public string StdOut { get; }

        /// <summary>Standard error, without the final newline.</summary>
        public string StdErr { get; }

        /// <summary>How long the command ran.</summary>
        public TimeSpan Duration { get; }

        /// <summary>The engine of the container.</summary>
        public DockerHost DockerHost => Container.DockerHost;
    }
}
