using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Docker.DotNet.Models;

namespace DockerPS
{
    /// <summary>One process running in a container, a line of docker top.</summary>
    public sealed class DockerContainerProcess
    {
        internal DockerContainerProcess(DockerHost host, string containerId, string container, IReadOnlyList<string> titles, IReadOnlyList<string> values)
        {
            DockerHost = host;
            ContainerId = containerId;
            Container = container;
            Titles = titles;
            var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < titles.Count && i < values.Count; i++)
            {
                columns[titles[i]] = values[i];
            }

            Columns = columns;
            ProcessId = Number(Column("PID")) ?? 0;
            ParentProcessId = Number(Column("PPID"));
            User = Column("UID", "USER", "RUSER", "EUSER");
            Command = Column("CMD", "COMMAND", "ARGS", "COMM", "UCMD") ?? string.Empty;
            Terminal = Column("TTY", "TT");
            StartTime = Column("STIME", "START", "STARTED");
            CpuTime = ParseCpuTime(Column("TIME", "CPUTIME"));
        }

        /// <summary>The container's name.</summary>
        public string Container { get; }

        /// <summary>The container's full id.</summary>
        public string ContainerId { get; }

        /// <summary>The process id, as the host sees it (ps runs on the engine's host).</summary>
        public int ProcessId { get; }

        /// <summary>The parent's process id, when ps gave a PPID column.</summary>
        public int? ParentProcessId { get; }

        /// <summary>The user (UID or USER column).</summary>
        public string? User { get; }

        /// <summary>The command line (CMD, COMMAND or ARGS column).</summary>
        public string Command { get; }

        /// <summary>The controlling terminal, "?" for none.</summary>
        public string? Terminal { get; }

        /// <summary>When the process started, as ps words it (STIME or START column).</summary>
        public string? StartTime { get; }

        /// <summary>CPU time used so far (TIME column).</summary>
        public TimeSpan? CpuTime { get; }

        /// <summary>The column titles ps printed, in order.</summary>
        public IReadOnlyList<string> Titles { get; }

        /// <summary>Every column of the line, by title (any ps option's columns, such as %CPU or RSS).</summary>
        public IReadOnlyDictionary<string, string> Columns { get; }

        /// <summary>The engine of the container.</summary>
        public DockerHost DockerHost { get; }

        public override string ToString() => $"{ProcessId} {Command}";

        /// <summary>"00:01:02", "1:02" (minutes:seconds) or "2-03:04:05" (days first).</summary>
        internal static TimeSpan? ParseCpuTime(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            int days = 0;
            string clock = text!;
            int dash = clock.IndexOf('-');
            if (dash > 0)
            {
                if (!int.TryParse(clock.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out days))
                {
                    return null;
                }

                clock = clock.Substring(dash + 1);
            }

            string[] parts = clock.Split(':');
            var numbers = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                {
                    return null;
                }
            }

            return parts.Length switch
            {
                2 => new TimeSpan(days, 0, numbers[0], numbers[1]),
                3 => new TimeSpan(days, numbers[0], numbers[1], numbers[2]),
                _ => (TimeSpan?)null,
            };
        }

        private static int? Number(string? text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;

        private string? Column(params string[] titles)
        {
            foreach (string title in titles)
            {
                if (Columns.TryGetValue(title, out string? value))
                {
                    return value;
                }
            }

            return null;
        }
    }

    /// <summary>One resource-use snapshot of a container, a line of docker stats.</summary>
    public sealed class DockerContainerStats
    {
        private DockerContainerStats(DockerHost host, string containerId, string container)
        {
            DockerHost = host;
            ContainerId = containerId;
            Container = container;
        }

        /// <summary>The container's name.</summary>
        public string Container { get; }

        /// <summary>The container's full id.</summary>
        public string ContainerId { get; }

        /// <summary>The 12-character id the docker CLI shows.</summary>
        public string ShortId => Naming.ShortId(ContainerId);

        /// <summary>When the engine took the snapshot (UTC).</summary>
        public DateTime Read { get; private set; }

        /// <summary>CPU use since the previous sample, in percent of one CPU (so up to 100 × OnlineCpus), as docker stats computes it.</summary>
        public double CpuPercent { get; private set; }

        /// <summary>CPU time the container used in all.</summary>
        public TimeSpan CpuTime { get; private set; }

        /// <summary>CPUs the container can use.</summary>
        public int OnlineCpus { get; private set; }

        /// <summary>Memory in use in bytes, without the page cache the kernel can take back, as docker stats shows it.</summary>
        public long MemoryUsage { get; private set; }

        /// <summary>The memory limit in bytes (the host's memory when the container has no limit).</summary>
        public long MemoryLimit { get; private set; }

        /// <summary>MemoryUsage in percent of MemoryLimit.</summary>
        public double MemoryPercent { get; private set; }

        /// <summary>Bytes received on all the container's networks.</summary>
        public long NetworkReceived { get; private set; }

        /// <summary>Bytes sent on all the container's networks.</summary>
        public long NetworkSent { get; private set; }

        /// <summary>Bytes read from block devices.</summary>
        public long BlockRead { get; private set; }

        /// <summary>Bytes written to block devices.</summary>
        public long BlockWritten { get; private set; }

        /// <summary>Processes and threads in the container.</summary>
        public long Pids { get; private set; }

        /// <summary>The engine of the container.</summary>
        public DockerHost DockerHost { get; }

        public override string ToString() => $"{Container}: CPU {CpuPercent:F2}%, memory {Display.BinarySize(MemoryUsage)}";

        /// <summary>Maps a stats sample with the docker CLI's formulas (Linux and Windows engines differ).</summary>
        internal static DockerContainerStats From(DockerHost host, string containerId, string container, ContainerStatsResponse r)
        {
            bool windows = string.Equals(r.OSType ?? host.OSType, "windows", StringComparison.OrdinalIgnoreCase);
            CPUStats cpu = r.CPUStats ?? new CPUStats();
            CPUStats previous = r.PreCPUStats ?? new CPUStats();
            ulong total = cpu.CPUUsage?.TotalUsage ?? 0;
            ulong previousTotal = previous.CPUUsage?.TotalUsage ?? 0;
            MemoryStats memory = r.MemoryStats ?? new MemoryStats();
            var stats = new DockerContainerStats(host, containerId, container)
            {
                Read = r.Read.ToUniversalTime(),
                OnlineCpus = (int)(cpu.OnlineCPUs ?? (uint)(cpu.CPUUsage?.PercpuUsage?.Count ?? 0)),
                Pids = (long)(r.PidsStats?.Current ?? 0),
                NetworkReceived = (long)(r.Networks?.Values.Aggregate(0UL, (sum, n) => sum + n.RxBytes) ?? 0),
                NetworkSent = (long)(r.Networks?.Values.Aggregate(0UL, (sum, n) => sum + n.TxBytes) ?? 0),
            };

            if (windows)
            {
                // Windows counts CPU in 100 ns intervals; the possible ones are the sample's span times the processors.
                stats.CpuTime = TimeSpan.FromTicks((long)total);
                double possible = (r.Read - r.PreRead).Ticks * (double)r.NumProcs;
                stats.CpuPercent = possible > 0 && total > previousTotal ? (total - previousTotal) / possible * 100.0 : 0;
                stats.MemoryUsage = (long)(memory.PrivateWorkingSet ?? 0);
                stats.BlockRead = (long)(r.StorageStats?.ReadSizeBytes ?? 0);
                stats.BlockWritten = (long)(r.StorageStats?.WriteSizeBytes ?? 0);
                return stats;
            }

            // Linux counts CPU in nanoseconds, against the whole system's time over the same span.
            stats.CpuTime = TimeSpan.FromTicks((long)(total / 100));
            double cpuDelta = (double)total - previousTotal;
            double systemDelta = (double)(cpu.SystemUsage ?? 0) - (previous.SystemUsage ?? 0);
            stats.CpuPercent = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * stats.OnlineCpus * 100.0 : 0;

            // As docker stats: the inactive page cache is not counted (cgroup v1 names it total_inactive_file, v2 inactive_file).
            ulong usage = memory.Usage ?? 0;
            IDictionary<string, ulong> detail = memory.Stats ?? new Dictionary<string, ulong>();
            if (detail.TryGetValue("total_inactive_file", out ulong inactive) && inactive < usage)
            {
                usage -= inactive;
            }
            else if (detail.TryGetValue("inactive_file", out inactive) && inactive < usage)
            {
                usage -= inactive;
            }

            stats.MemoryUsage = (long)usage;
            stats.MemoryLimit = (long)Math.Min(memory.Limit ?? 0, long.MaxValue);
            stats.MemoryPercent = stats.MemoryLimit > 0 ? (double)stats.MemoryUsage / stats.MemoryLimit * 100.0 : 0;
            foreach (BlkioStatEntry entry in r.BlkioStats?.IoServiceBytesRecursive ?? new List<BlkioStatEntry>())
            {
                string op = entry.Op ?? string.Empty;
                if (op.StartsWith("r", StringComparison.OrdinalIgnoreCase))
                {
                    stats.BlockRead += (long)entry.Value;
                }
                else if (op.StartsWith("w", StringComparison.OrdinalIgnoreCase))
                {
                    stats.BlockWritten += (long)entry.Value;
                }
            }

            return stats;
        }
    }

    /// <summary>What happened to a path in a container's file system: the letter docker diff prints.</summary>
    public enum ContainerChangeKind
    {
        /// <summary>C: the path was changed.</summary>
        Changed = 0,

        /// <summary>A: the path was added.</summary>
        Added = 1,

        /// <summary>D: the path was deleted.</summary>
        Deleted = 2,
    }

    /// <summary>One changed path in a container's file system, compared with its image, a line of docker diff.</summary>
    public sealed class DockerContainerChange
    {
        internal DockerContainerChange(DockerHost host, string containerId, string container, ContainerChangeKind kind, string path)
        {
            DockerHost = host;
            ContainerId = containerId;
            Container = container;
            Kind = kind;
            Path = path;
        }

        /// <summary>The container's name.</summary>
        public string Container { get; }

        /// <summary>The container's full id.</summary>
        public string ContainerId { get; }

        /// <summary>Added, Changed or Deleted.</summary>
        public ContainerChangeKind Kind { get; }

        /// <summary>The absolute path in the container.</summary>
        public string Path { get; }

        /// <summary>The engine of the container.</summary>
        public DockerHost DockerHost { get; }

        /// <summary>"A /path", as docker diff prints it.</summary>
        public override string ToString() => $"{Kind.ToString().Substring(0, 1)} {Path}";
    }
}
