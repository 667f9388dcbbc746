using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Docker.DotNet.Models;
using EngineState = Docker.DotNet.Models.State;

namespace DockerPS
{
    /// <summary>When the engine restarts a container.</summary>
    public enum ContainerRestartPolicy
    {
        /// <summary>Never (the default).</summary>
        No,

        /// <summary>Whenever it stops, and when the engine starts.</summary>
        Always,

        /// <summary>Like Always, except after it was stopped on purpose.</summary>
        UnlessStopped,

        /// <summary>When it exits with a code other than 0, up to MaximumRetryCount times.</summary>
        OnFailure,
    }

    /// <summary>The result of a container's health check.</summary>
    public enum ContainerHealthStatus
    {
        /// <summary>The container has no health check.</summary>
        None,

        /// <summary>Not yet known (within the start period, or no check has run).</summary>
        Starting,

        /// <summary>The last check passed.</summary>
        Healthy,

        /// <summary>The check failed Retries times in a row.</summary>
        Unhealthy,
    }

    /// <summary>A volume, bind or tmpfs mounted in a container.</summary>
    public sealed class ContainerMount
    {
        internal ContainerMount(string type, string? name, string source, string destination, string mode, bool readWrite, string? driver)
        {
            Type = type;
            Name = name;
            Source = source;
            Destination = destination;
            Mode = mode;
            ReadWrite = readWrite;
            Driver = driver;
        }

        /// <summary>volume, bind, tmpfs or npipe.</summary>
        public string Type { get; }

        /// <summary>The volume's name; null for binds and tmpfs.</summary>
        public string? Name { get; }

        /// <summary>The host path (for a volume, where the engine keeps it).</summary>
        public string Source { get; }

        /// <summary>The path inside the container.</summary>
        public string Destination { get; }

        /// <summary>The options given when mounting, such as ro or z; often empty.</summary>
        public string Mode { get; }

        /// <summary>False for read-only mounts.</summary>
        public bool ReadWrite { get; }

        /// <summary>The volume driver, for volumes.</summary>
        public string? Driver { get; }

        /// <summary>name-or-source:destination, with :ro when read-only.</summary>
        public override string ToString() => $"{Name ?? Source}:{Destination}{(ReadWrite ? string.Empty : ":ro")}";

        internal static IReadOnlyList<ContainerMount> From(IList<MountPoint>? mounts) =>
            mounts?.Select(m => new ContainerMount(m.Type ?? string.Empty, Text(m.Name), m.Source ?? string.Empty, m.Destination ?? string.Empty,
                m.Mode ?? string.Empty, m.RW, Text(m.Driver))).ToArray() ?? Array.Empty<ContainerMount>();

        private static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A container's place on one network.</summary>
    public sealed class ContainerNetworkEndpoint
    {
        internal ContainerNetworkEndpoint(string network, EndpointSettings e)
        {
            Network = network;
            NetworkId = e.NetworkID ?? string.Empty;
            IPAddress = Text(e.IPAddress);
            IPPrefixLength = (int)e.IPPrefixLen;
            Gateway = Text(e.Gateway);
            GlobalIPv6Address = Text(e.GlobalIPv6Address);
            IPv6Gateway = Text(e.IPv6Gateway);
            MacAddress = Text(e.MacAddress);
            Aliases = e.Aliases?.ToArray() ?? Array.Empty<string>();
            Links = e.Links?.ToArray() ?? Array.Empty<string>();
        }

        /// <summary>The network's name.</summary>
        public string Network { get; }

        /// <summary>The network's id.</summary>
        public string NetworkId { get; }

        /// <summary>The container's IPv4 address on the network (while it runs).</summary>
        public string? IPAddress { get; }

        /// <summary>The prefix length of that address, such as 16.</summary>
        public int IPPrefixLength { get; }

        /// <summary>The network's gateway.</summary>
        public string? Gateway { get; }

        /// <summary>The container's IPv6 address, on IPv6 networks.</summary>
        public string? GlobalIPv6Address { get; }

        /// <summary>The IPv6 gateway, on IPv6 networks.</summary>
        public string? IPv6Gateway { get; }

        /// <summary>The container's MAC address on the network.</summary>
        public string? MacAddress { get; }

        /// <summary>Other names the container answers to on this network (user-defined networks only).</summary>
        public IReadOnlyList<string> Aliases { get; }

        /// <summary>Links to other containers on this network, as name:alias.</summary>
        public IReadOnlyList<string> Links { get; }

        public override string ToString() => IPAddress == null ? Network : $"{Network} ({IPAddress})";

        private static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A port publication as the container was configured with it (whether it runs or not).</summary>
    public sealed class ContainerPortBinding
    {
        internal ContainerPortBinding(int privatePort, string protocol, string? hostIP, string? hostPort)
        {
            PrivatePort = privatePort;
            Protocol = protocol;
            HostIP = hostIP;
            HostPort = hostPort;
        }

        /// <summary>The port inside the container.</summary>
        public int PrivatePort { get; }

        /// <summary>tcp, udp or sctp.</summary>
        public string Protocol { get; }

        /// <summary>The host address to publish on; null for every address.</summary>
        public string? HostIP { get; }

        /// <summary>The host port or range asked for; null when the engine picks a free one.</summary>
        public string? HostPort { get; }

        /// <summary>Like -Port: 127.0.0.1:8080:80/tcp, or 127.0.0.1::80/tcp when the host port is picked.</summary>
        public override string ToString() => HostIP == null && HostPort == null
            ? $"{PrivatePort}/{Protocol}"
            : $"{(HostIP == null ? string.Empty : HostIP + ":")}{HostPort}:{PrivatePort}/{Protocol}";

        internal static IReadOnlyList<ContainerPortBinding> From(IDictionary<string, IList<PortBinding>>? bindings)
        {
            var result = new List<ContainerPortBinding>();
            foreach (var entry in bindings ?? new Dictionary<string, IList<PortBinding>>())
            {
                string[] key = entry.Key.Split('/');
                int port = int.Parse(key[0], NumberStyles.None, CultureInfo.InvariantCulture);
                string protocol = key.Length > 1 ? key[1] : "tcp";
                foreach (PortBinding b in entry.Value ?? new List<PortBinding>())
                {
                    result.Add(new ContainerPortBinding(port, protocol, string.IsNullOrEmpty(b.HostIP) ? null : b.HostIP, string.IsNullOrEmpty(b.HostPort) ? null : b.HostPort));
                }
            }

            return result.OrderBy(b => b.PrivatePort).ThenBy(b => b.Protocol, StringComparer.Ordinal).ThenBy(b => b.HostIP, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>One run of a health check.</summary>
    public sealed class ContainerHealthProbe
    {
        internal ContainerHealthProbe(HealthcheckResult r)
        {
            Start = r.Start.ToUniversalTime();
            End = r.End.ToUniversalTime();
            ExitCode = r.ExitCode;
            Output = r.Output ?? string.Empty;
        }

        /// <summary>When the check started (UTC).</summary>
        public DateTime Start { get; }

        /// <summary>When it ended (UTC).</summary>
        public DateTime End { get; }

        /// <summary>0 healthy, 1 unhealthy, other values are errors.</summary>
        public long ExitCode { get; }

        /// <summary>What the check printed.</summary>
        public string Output { get; }
    }

    /// <summary>The state of a container's health check.</summary>
    public sealed class ContainerHealth
    {
        internal ContainerHealth(Health h)
        {
            Status = Enum.TryParse(h.Status, true, out ContainerHealthStatus status) ? status : ContainerHealthStatus.None;
            FailingStreak = h.FailingStreak;
            Log = h.Log?.Select(r => new ContainerHealthProbe(r)).ToArray() ?? Array.Empty<ContainerHealthProbe>();
        }

        /// <summary>Starting, Healthy or Unhealthy.</summary>
        public ContainerHealthStatus Status { get; }

        /// <summary>How many checks in a row have failed.</summary>
        public long FailingStreak { get; }

        /// <summary>The last few checks, oldest first.</summary>
        public IReadOnlyList<ContainerHealthProbe> Log { get; }

        public override string ToString() => FailingStreak > 0 ? $"{Status} (failing streak {FailingStreak})" : Status.ToString();
    }

    /// <summary>A container's health check settings.</summary>
    public sealed class ContainerHealthCheck
    {
        internal ContainerHealthCheck(HealthcheckConfig h)
        {
            Test = h.Test?.ToArray() ?? Array.Empty<string>();
            Interval = h.Interval;
            Timeout = h.Timeout;
            StartPeriod = h.StartPeriod;
            Retries = h.Retries;
        }

        /// <summary>The check: ["CMD-SHELL", command], ["CMD", program, args…], or ["NONE"] when checks are off.</summary>
        public IReadOnlyList<string> Test { get; }

        /// <summary>Time between checks; null for the engine's default (30 seconds).</summary>
        public TimeSpan? Interval { get; }

        /// <summary>How long one check may run; null for the default (30 seconds).</summary>
        public TimeSpan? Timeout { get; }

        /// <summary>Time the container gets to start before failures count; null for none.</summary>
        public TimeSpan? StartPeriod { get; }

        /// <summary>Failures in a row that make the container unhealthy; null for the default (3).</summary>
        public long? Retries { get; }

        public override string ToString() => string.Join(" ", Test);
    }

    /// <summary>How a container was created: its command, environment and identity (docker inspect's Config).</summary>
    public sealed class DockerContainerConfig
    {
        internal DockerContainerConfig(ContainerConfig c)
        {
            Image = c.Image ?? string.Empty;
            Cmd = c.Cmd?.ToArray() ?? Array.Empty<string>();
            Entrypoint = c.Entrypoint?.ToArray() ?? Array.Empty<string>();
            Env = c.Env?.ToArray() ?? Array.Empty<string>();
            WorkingDirectory = c.WorkingDir ?? string.Empty;
            User = c.User ?? string.Empty;
            Hostname = c.Hostname ?? string.Empty;
            Domainname = c.Domainname ?? string.Empty;
            Labels = Naming.Labels(c.Labels);
            ExposedPorts = c.ExposedPorts?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>();
            Volumes = c.Volumes?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray() ?? Array.Empty<string>();
            Tty = c.Tty;
            OpenStdin = c.OpenStdin;
            StopSignal = string.IsNullOrEmpty(c.StopSignal) ? null : c.StopSignal;
            StopTimeout = c.StopTimeout;
            HealthCheck = c.Healthcheck == null ? null : new ContainerHealthCheck(c.Healthcheck);
        }

        /// <summary>The image as the container was created from it.</summary>
        public string Image { get; }

        /// <summary>The command (CMD).</summary>
        public IReadOnlyList<string> Cmd { get; }

        /// <summary>The entrypoint.</summary>
        public IReadOnlyList<string> Entrypoint { get; }

        /// <summary>Environment variables as NAME=value.</summary>
        public IReadOnlyList<string> Env { get; }

        /// <summary>The working directory; empty for the image's.</summary>
        public string WorkingDirectory { get; }

        /// <summary>The user the command runs as; empty for the image's.</summary>
        public string User { get; }

        /// <summary>The container's host name.</summary>
        public string Hostname { get; }

        /// <summary>The container's domain name.</summary>
        public string Domainname { get; }

        /// <summary>The container's labels.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; }

        /// <summary>Exposed ports, such as 80/tcp.</summary>
        public IReadOnlyList<string> ExposedPorts { get; }

        /// <summary>Anonymous volume paths.</summary>
        public IReadOnlyList<string> Volumes { get; }

        /// <summary>True when the container has a pseudo-terminal.</summary>
        public bool Tty { get; }

        /// <summary>True when standard input is kept open.</summary>
        public bool OpenStdin { get; }

        /// <summary>The signal docker stop sends, when not SIGTERM.</summary>
        public string? StopSignal { get; }

        /// <summary>The container's own stop timeout, when set.</summary>
        public TimeSpan? StopTimeout { get; }

        /// <summary>The health check, when the container or its image has one.</summary>
        public ContainerHealthCheck? HealthCheck { get; }
    }

    /// <summary>How the engine runs a container: restart policy, limits, networking (docker inspect's HostConfig).</summary>
    public sealed class DockerContainerHostConfig
    {
        internal DockerContainerHostConfig(HostConfig h)
        {
            RestartPolicy = h.RestartPolicy?.Name switch
            {
                RestartPolicyKind.Always => ContainerRestartPolicy.Always,
                RestartPolicyKind.UnlessStopped => ContainerRestartPolicy.UnlessStopped,
                RestartPolicyKind.OnFailure => ContainerRestartPolicy.OnFailure,
                _ => ContainerRestartPolicy.No,
            };
            MaximumRetryCount = h.RestartPolicy?.MaximumRetryCount ?? 0;
            AutoRemove = h.AutoRemove;
            NetworkMode = h.NetworkMode ?? string.Empty;
            PortBindings = ContainerPortBinding.From(h.PortBindings);
            PublishAllPorts = h.PublishAllPorts;
            Binds = h.Binds?.ToArray() ?? Array.Empty<string>();
            Links = h.Links?.ToArray() ?? Array.Empty<string>();
            Dns = h.DNS?.ToArray() ?? Array.Empty<string>();
            DnsSearch = h.DNSSearch?.ToArray() ?? Array.Empty<string>();
            Memory = h.Memory;
            MemorySwap = h.MemorySwap;
            MemoryReservation = h.MemoryReservation;
            Cpus = h.NanoCPUs / 1e9;
            CpuShares = h.CPUShares;
            CpusetCpus = h.CpusetCpus ?? string.Empty;
            PidsLimit = h.PidsLimit.HasValue && h.PidsLimit.Value > 0 ? h.PidsLimit : null;
            ReadOnlyRootFilesystem = h.ReadonlyRootfs;
            Privileged = h.Privileged;
        }

        /// <summary>When the engine restarts the container.</summary>
        public ContainerRestartPolicy RestartPolicy { get; }

        /// <summary>For OnFailure: the most restarts the engine tries (0: no limit).</summary>
        public long MaximumRetryCount { get; }

        /// <summary>True when the container is removed as it exits.</summary>
        public bool AutoRemove { get; }

        /// <summary>bridge, host, none, container:… or a network name.</summary>
        public string NetworkMode { get; }

        /// <summary>The ports to publish, as configured.</summary>
        public IReadOnlyList<ContainerPortBinding> PortBindings { get; }

        /// <summary>True when every exposed port is published on a free host port.</summary>
        public bool PublishAllPorts { get; }

        /// <summary>Binds and named volumes as given: source:destination[:mode].</summary>
        public IReadOnlyList<string> Binds { get; }

        /// <summary>Links on the default bridge network, as the engine records them.</summary>
        public IReadOnlyList<string> Links { get; }

        /// <summary>DNS servers, when set.</summary>
        public IReadOnlyList<string> Dns { get; }

        /// <summary>DNS search domains, when set.</summary>
        public IReadOnlyList<string> DnsSearch { get; }

        /// <summary>Memory limit in bytes; 0 for none.</summary>
        public long Memory { get; }

        /// <summary>Memory plus swap limit in bytes; 0 for the default, -1 for no limit.</summary>
        public long MemorySwap { get; }

        /// <summary>Soft memory limit in bytes; 0 for none.</summary>
        public long MemoryReservation { get; }

        /// <summary>How many CPUs the container may use; 0 for no limit.</summary>
        public double Cpus { get; }

        /// <summary>Relative CPU weight; 0 for the default (1024).</summary>
        public long CpuShares { get; }

        /// <summary>The CPUs the container may run on, such as 0-1; empty for all.</summary>
        public string CpusetCpus { get; }

        /// <summary>Most processes the container may have; null for no limit.</summary>
        public long? PidsLimit { get; }

        /// <summary>True when the root filesystem is read-only.</summary>
        public bool ReadOnlyRootFilesystem { get; }

        /// <summary>True for privileged containers.</summary>
        public bool Privileged { get; }
    }

    /// <summary>What Get-DockerContainer -Detailed adds: the inspect data as typed properties.</summary>
    public sealed partial class DockerContainer
    {
        /// <summary>True when the inspect data below was fetched (Get-DockerContainer -Detailed).</summary>
        public bool HasDetails { get; internal set; }

        /// <summary>When the container last started (UTC); null if it never did.</summary>
        public DateTime? StartedAt { get; internal set; }

        /// <summary>When the container last stopped (UTC); null if it never did.</summary>
        public DateTime? FinishedAt { get; internal set; }

        /// <summary>True when the kernel killed the container for using too much memory.</summary>
        public bool? OomKilled { get; internal set; }

        /// <summary>The engine's error from the last start, if any.</summary>
        public string? Error { get; internal set; }

        /// <summary>The main process's id on the host, while it runs.</summary>
        public long? Pid { get; internal set; }

        /// <summary>The health check's state; null when the container has no health check.</summary>
        public ContainerHealth? Health { get; internal set; }

        /// <summary>How many times the engine restarted the container under its restart policy.</summary>
        public long? RestartCount { get; internal set; }

        /// <summary>Command, entrypoint, environment, working directory, user, host name, labels, health check.</summary>
        public DockerContainerConfig? Config { get; internal set; }

        /// <summary>Restart policy, resource limits, port bindings, DNS, links.</summary>
        public DockerContainerHostConfig? HostConfig { get; internal set; }

        /// <summary>The container on each network: address, gateway, aliases, MAC address.</summary>
        public IReadOnlyList<ContainerNetworkEndpoint>? NetworkSettings { get; internal set; }

        /// <summary>Adds the inspect data to a container from the list call.</summary>
        internal DockerContainer WithDetails(ContainerInspectResponse r)
        {
            HasDetails = true;
            EngineState s = r.State ?? new EngineState();

            // The inspect is the later look: its state goes with the times and counts below.
            State = string.IsNullOrEmpty(s.Status) ? State : ParseState(s.Status);
            ExitCode = State == ContainerState.Exited || State == ContainerState.Dead ? (int)s.ExitCode : (int?)null;
            StartedAt = Moment(s.StartedAt);
            FinishedAt = Moment(s.FinishedAt);
            OomKilled = s.OOMKilled;
            Error = string.IsNullOrEmpty(s.Error) ? null : s.Error;
            Pid = s.Pid > 0 ? s.Pid : (long?)null;
            Health = s.Health == null ? null : new ContainerHealth(s.Health);
            RestartCount = r.RestartCount;
            Config = r.Config == null ? null : new DockerContainerConfig(r.Config);
            HostConfig = r.HostConfig == null ? null : new DockerContainerHostConfig(r.HostConfig);
            Mounts = ContainerMount.From(r.Mounts);
            NetworkSettings = (r.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
                .OrderBy(n => n.Key, StringComparer.Ordinal)
                .Select(n => new ContainerNetworkEndpoint(n.Key, n.Value))
                .ToArray();
            return this;
        }

        /// <summary>The engine's RFC 3339 times; its zero time (0001-01-01) means never.</summary>
        private static DateTime? Moment(string? text) =>
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime when) && when.Year > 1
                ? when
                : (DateTime?)null;
    }
}
