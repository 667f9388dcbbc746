using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Specs;

namespace DockerPS.Client
{
    /// <summary>Restart policy and resource limits: set on create, changed by update. Null leaves a setting as it is.</summary>
    internal sealed class ResourceLimits
    {
        public RestartPolicySpec? RestartPolicy { get; set; }

        public long? Memory { get; set; }

        /// <summary>Memory plus swap; -1 for unlimited swap.</summary>
        public long? MemorySwap { get; set; }

        public long? MemoryReservation { get; set; }

        public double? Cpus { get; set; }

        public long? CpuShares { get; set; }

        public string? CpusetCpus { get; set; }

        public long? PidsLimit { get; set; }

        public bool IsEmpty => RestartPolicy == null && Memory == null && MemorySwap == null && MemoryReservation == null
            && Cpus == null && CpuShares == null && CpusetCpus == null && PidsLimit == null;

        /// <summary>What changes, as ShouldProcess shows it: "restart policy OnFailure:2, memory 268,435,456 bytes".</summary>
        public override string ToString()
        {
            var parts = new List<string>();
            if (RestartPolicy != null)
            {
                parts.Add($"restart policy {RestartPolicy.Policy}{(RestartPolicy.MaximumRetryCount > 0 ? ":" + RestartPolicy.MaximumRetryCount.ToString(CultureInfo.InvariantCulture) : string.Empty)}");
            }

            void Add(string what, object? value, string unit = "")
            {
                if (value != null)
                {
                    parts.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1:#,0.##}{2}", what, value, unit));
                }
            }

            Add("memory", Memory, " bytes");
            Add("memory+swap", MemorySwap, " bytes");
            Add("memory reservation", MemoryReservation, " bytes");
            Add("CPUs", Cpus);
            Add("CPU shares", CpuShares);
            if (CpusetCpus != null)
            {
                parts.Add($"CPU set {CpusetCpus}");
            }

            Add("process limit", PidsLimit);
            return string.Join(", ", parts);
        }

        /// <summary>The engine counts CPUs in billionths.</summary>
        public long NanoCpus => Cpus.HasValue ? (long)Math.Round(Cpus.Value * 1e9) : 0;

        public RestartPolicy? EngineRestartPolicy => RestartPolicy == null ? null : new RestartPolicy
        {
            Name = RestartPolicy.Policy switch
            {
                ContainerRestartPolicy.Always => RestartPolicyKind.Always,
                ContainerRestartPolicy.UnlessStopped => RestartPolicyKind.UnlessStopped,
                ContainerRestartPolicy.OnFailure => RestartPolicyKind.OnFailure,
                _ => RestartPolicyKind.No,
            },
            MaximumRetryCount = RestartPolicy.MaximumRetryCount,
        };
    }

    /// <summary>A health check to set; an empty Test keeps the image's command with these timings.</summary>
    internal sealed class HealthCheckOptions
    {
        public IList<string>? Test { get; set; }

        public TimeSpan? Interval { get; set; }

        public TimeSpan? Timeout { get; set; }

        public TimeSpan? StartPeriod { get; set; }

        public int? Retries { get; set; }
    }

    /// <summary>What New-DockerContainer and Invoke-DockerContainer ask the engine for, in DockerPS's own terms.</summary>
    internal sealed class ContainerCreateOptions
    {
        public string Image { get; set; } = string.Empty;

        public string? Name { get; set; }

        public IList<string>? Command { get; set; }

        public IList<string>? Entrypoint { get; set; }

        public List<KeyValuePair<string, string>> Environment { get; } = new List<KeyValuePair<string, string>>();

        public List<KeyValuePair<string, string>> Labels { get; } = new List<KeyValuePair<string, string>>();

        public List<PortSpec> Ports { get; } = new List<PortSpec>();

        public List<VolumeSpec> Volumes { get; } = new List<VolumeSpec>();

        public string? WorkingDirectory { get; set; }

        public string? User { get; set; }

        public string? Hostname { get; set; }

        public string? Network { get; set; }

        /// <summary>Aliases on <see cref="Network"/>, a user-defined network.</summary>
        public List<string> NetworkAliases { get; } = new List<string>();

        /// <summary>Links as name:alias.</summary>
        public List<string> Links { get; } = new List<string>();

        public List<string> Dns { get; } = new List<string>();

        public List<string> DnsSearch { get; } = new List<string>();

        public ResourceLimits Limits { get; } = new ResourceLimits();

        public HealthCheckOptions? HealthCheck { get; set; }

        public bool AutoRemove { get; set; }

        public bool PublishAllPorts { get; set; }

        public bool Interactive { get; set; }

        /// <summary>Close the container's standard input when the attached client closes its side (docker run -i).</summary>
        public bool StdinOnce { get; set; }

        public bool Tty { get; set; }

        public bool ReadOnly { get; set; }
    }

    /// <summary>The container prune's filters, in DockerPS's terms.</summary>
    internal sealed class ContainerPruneFilter
    {
        /// <summary>"key" or "key=value"; all must match.</summary>
        public IList<string>? Labels { get; set; }

        /// <summary>Only containers created before this moment.</summary>
        public DateTime? Until { get; set; }
    }

    /// <summary>Container lifecycle calls: create, kill, restart, pause, rename, update, inspect, prune.</summary>
    internal static partial class ContainerClient
    {
        /// <summary>The states a prune removes: every one that is not running (nor paused or restarting).</summary>
        private static readonly string[] PrunableStates = { "created", "exited", "dead" };

        public static async Task<(string Id, IList<string> Warnings)> CreateAsync(EngineConnection c, ContainerCreateOptions o, CancellationToken ct)
        {
            var exposed = new Dictionary<string, EmptyStruct>();
            var bindings = new Dictionary<string, IList<PortBinding>>();
            foreach (PortSpec p in o.Ports)
            {
                exposed[p.Key] = default;
                if (p.HostPort != null)
                {
                    if (!bindings.TryGetValue(p.Key, out var list))
                    {
                        bindings[p.Key] = list = new List<PortBinding>();
                    }

                    list.Add(new PortBinding { HostIP = p.HostIP ?? string.Empty, HostPort = p.HostPort });
                }
            }

            // Aliases and links on a user-defined network belong to the container's endpoint there.
            NetworkingConfig? networking = null;
            if (Specs.NetworkSpec.IsUserDefined(o.Network) && (o.NetworkAliases.Count > 0 || o.Links.Count > 0))
            {
                networking = new NetworkingConfig
                {
                    EndpointsConfig = new Dictionary<string, EndpointSettings>
                    {
                        [o.Network!] = new EndpointSettings
                        {
                            Aliases = o.NetworkAliases.Count > 0 ? o.NetworkAliases : null!,
                            Links = o.Links.Count > 0 ? o.Links : null!,
                        },
                    },
                };
            }

            var anonymous = o.Volumes.Where(v => v.Source == null).ToDictionary(v => v.Target, _ => default(EmptyStruct));
            var parameters = new CreateContainerParameters
            {
                Name = o.Name!,
                Image = o.Image,
                Cmd = o.Command!,
                Entrypoint = o.Entrypoint!,
                Env = o.Environment.Select(e => $"{e.Key}={e.Value}").ToList(),
                Labels = o.Labels.GroupBy(l => l.Key).ToDictionary(g => g.Key, g => g.Last().Value),
                WorkingDir = o.WorkingDirectory!,
                User = o.User!,
                Hostname = o.Hostname!,
                ExposedPorts = exposed.Count > 0 ? exposed : null!,
                Volumes = anonymous.Count > 0 ? anonymous : null!,
                Tty = o.Tty,
                OpenStdin = o.Interactive,
                AttachStdin = o.Interactive,
                StdinOnce = o.StdinOnce,
                AttachStdout = true,
                AttachStderr = true,
                Healthcheck = o.HealthCheck == null ? null! : new HealthcheckConfig
                {
                    Test = o.HealthCheck.Test!,
                    Interval = o.HealthCheck.Interval,
                    Timeout = o.HealthCheck.Timeout,
                    StartPeriod = o.HealthCheck.StartPeriod,
                    Retries = o.HealthCheck.Retries,
                },
                HostConfig = new HostConfig
                {
                    PortBindings = bindings.Count > 0 ? bindings : null!,
                    Binds = o.Volumes.Where(v => v.Source != null).Select(v => v.Bind).ToList(),
                    AutoRemove = o.AutoRemove,
                    PublishAllPorts = o.PublishAllPorts,
                    NetworkMode = o.Network!,
                    ReadonlyRootfs = o.ReadOnly,
                    Links = o.Links.Count > 0 ? o.Links : null!,
                    DNS = o.Dns.Count > 0 ? o.Dns : null!,
                    DNSSearch = o.DnsSearch.Count > 0 ? o.DnsSearch : null!,
                    RestartPolicy = o.Limits.EngineRestartPolicy!,
                    Memory = o.Limits.Memory ?? 0,
                    NanoCPUs = o.Limits.NanoCpus,
                },
                NetworkingConfig = networking!,
            };
            CreateContainerResponse created;
            try
            {
                created = await c.Api.Containers.CreateContainerAsync(parameters, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // On create, a 404 is about the image, unless the engine says the network is missing.
                string message = EngineAnswer.Message(ex);
                bool network = o.Network != null && message.IndexOf("network", StringComparison.OrdinalIgnoreCase) >= 0;
                throw new EngineObjectException(ObjectFault.MissingForCreate, network ? ResourceKind.Network : ResourceKind.Image, network ? o.Network! : o.Image, message, ex);
            }

            return (created.ID, created.Warnings ?? new List<string>());
        }

        /// <summary>Sends a signal (SIGKILL waits for the container to end); false when the container was not running.</summary>
        public static async Task<bool> KillAsync(EngineConnection c, string id, string signal, CancellationToken ct)
        {
            try
            {
                await c.Unbounded.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = signal }, ct).ConfigureAwait(false);
                return true;
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict
                && EngineAnswer.Says(ex, "is not running"))
            {
                return false;
            }
        }

        /// <summary>Stops (SIGTERM, SIGKILL after the timeout) and starts a container; a stopped one is just started.</summary>
        public static Task RestartAsync(EngineConnection c, string id, uint? timeoutSeconds, CancellationToken ct) =>
            timeoutSeconds == 0
                // The library leaves t=0 out of the query, so the engine would wait its default 10 s: ask it as docker restart -t 0 does.
                ? (Task)RawEngineRequest.PostAsync(c, $"containers/{Uri.EscapeDataString(id)}/restart?t=0", ct)
                : c.Unbounded.Containers.RestartContainerAsync(id, new ContainerRestartParameters { WaitBeforeKillSeconds = timeoutSeconds }, ct);

        /// <summary>Pauses a container; null when it did, else the state that kept it from it (Paused: it already was).</summary>
        public static async Task<ContainerState?> PauseAsync(EngineConnection c, string id, CancellationToken ct)
        {
            try
            {
                await c.Api.Containers.PauseContainerAsync(id, ct).ConfigureAwait(false);
                return null;
            }
            catch (DockerApiException ex) when (ex.StatusCode != HttpStatusCode.NotFound)
            {
                // The engine's refusals differ by version (409 or 500); the state says which one this was.
                ContainerState state = await StateAsync(c, id, ct).ConfigureAwait(false);
                if (state == ContainerState.Running)
                {
                    throw;
                }

                return state;
            }
        }

        /// <summary>Unpauses a container; null when it did, else the state that kept it from it (Running: it was not paused).</summary>
        public static async Task<ContainerState?> UnpauseAsync(EngineConnection c, string id, CancellationToken ct)
        {
            try
            {
                await c.Api.Containers.UnpauseContainerAsync(id, ct).ConfigureAwait(false);
                return null;
            }
            catch (DockerApiException ex) when (ex.StatusCode != HttpStatusCode.NotFound)
            {
                ContainerState state = await StateAsync(c, id, ct).ConfigureAwait(false);
                if (state == ContainerState.Paused)
                {
                    throw;
                }

                return state;
            }
        }

        public static Task RenameAsync(EngineConnection c, string id, string newName, CancellationToken ct) =>
            c.Api.Containers.RenameContainerAsync(id, new ContainerRenameParameters { NewName = newName }, ct);

        /// <summary>Changes the restart policy and limits that are set (the engine leaves zero values as they are); returns its warnings.</summary>
        public static async Task<IList<string>> UpdateAsync(EngineConnection c, string id, ResourceLimits limits, CancellationToken ct)
        {
            long swap = limits.MemorySwap ?? 0;
            if (limits.Memory.HasValue && !limits.MemorySwap.HasValue)
            {
                // The engine refuses a memory limit above the memory+swap limit unless both change; like docker
                // create, give the new limit as much swap again, and keep unlimited swap unlimited.
                var inspected = await c.Api.Containers.InspectContainerAsync(id, ct).ConfigureAwait(false);
                long current = inspected.HostConfig?.MemorySwap ?? 0;
                swap = current == -1 ? -1 : current > 0 && limits.Memory.Value <= current ? 0 : 2 * limits.Memory.Value;
            }

            var response = await c.Api.Containers.UpdateContainerAsync(id, new ContainerUpdateParameters
            {
                RestartPolicy = limits.EngineRestartPolicy!,
                Memory = limits.Memory ?? 0,
                MemorySwap = swap,
                MemoryReservation = limits.MemoryReservation ?? 0,
                NanoCPUs = limits.NanoCpus,
                CPUShares = limits.CpuShares ?? 0,
                CpusetCpus = limits.CpusetCpus!,
                PidsLimit = limits.PidsLimit,
            }, ct).ConfigureAwait(false);
            return response.Warnings ?? new List<string>();
        }

        /// <summary>A listed container with the inspect data added; null when it went away in between.</summary>
        public static async Task<DockerContainer?> WithDetailsAsync(EngineConnection c, DockerContainer listed, CancellationToken ct)
        {
            try
            {
                var inspected = await c.Api.Containers.InspectContainerAsync(listed.Id, ct).ConfigureAwait(false);
                return listed.WithDetails(inspected);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        /// <summary>
        /// What a prune with these filters would remove, worked out as the engine does: every container that is not
        /// running, with the bytes of its writable layer, which is what the engine reclaims.
        /// </summary>
        public static async Task<IReadOnlyList<(DockerContainer Container, long Frees)>> PrunePreviewAsync(EngineConnection c, ContainerPruneFilter filter, CancellationToken ct)
        {
            var filters = LabelFilters(filter);
            filters["status"] = PrunableStates.ToDictionary(s => s, _ => true);
            var list = await c.Api.Containers.ListContainersAsync(new ContainersListParameters { All = true, Size = true, Filters = filters }, ct).ConfigureAwait(false);

            // The list gives whole seconds and the engine compares exact times: a container made within the until
            // second is after it, as the engine sees it.
            long? until = filter.Until.HasValue ? TimeSpec.UnixSeconds(filter.Until.Value) : (long?)null;
            return list
                .Where(x => !until.HasValue || TimeSpec.UnixSeconds(x.Created) < until.Value)
                .Select(x => (DockerContainer.From(c.Host, x), x.SizeRw ?? 0))
                .OrderByDescending(x => x.Item1.Created)
                .ToArray();
        }

        public static async Task<DockerPruneResult> PruneAsync(EngineConnection c, ContainerPruneFilter filter, CancellationToken ct)
        {
            var filters = LabelFilters(filter);
            if (filter.Until.HasValue)
            {
                filters["until"] = new Dictionary<string, bool> { [TimeSpec.UnixSeconds(filter.Until.Value).ToString(CultureInfo.InvariantCulture)] = true };
            }

            var response = await c.Unbounded.Containers.PruneContainersAsync(new ContainersPruneParameters { Filters = filters }, ct).ConfigureAwait(false);
            return new DockerPruneResult(c.Host, "Container", response.ContainersDeleted?.ToArray() ?? Array.Empty<string>(), Array.Empty<string>(), (long)response.SpaceReclaimed);
        }

        private static Dictionary<string, IDictionary<string, bool>> LabelFilters(ContainerPruneFilter filter)
        {
            var filters = new Dictionary<string, IDictionary<string, bool>>();
            if (filter.Labels != null && filter.Labels.Count > 0)
            {
                filters["label"] = filter.Labels.Distinct(StringComparer.Ordinal).ToDictionary(l => l, _ => true);
            }

            return filters;
        }

        private static async Task<ContainerState> StateAsync(EngineConnection c, string id, CancellationToken ct)
        {
            var inspected = await c.Api.Containers.InspectContainerAsync(id, ct).ConfigureAwait(false);
            return DockerContainer.ParseState(inspected.State?.Status);
        }
    }
}
