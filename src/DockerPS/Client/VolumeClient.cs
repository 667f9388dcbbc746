using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>The engine's volume filters, in DockerPS's terms.</summary>
    internal sealed class VolumeFilter
    {
        /// <summary>Only volumes no container mounts.</summary>
        public bool Dangling { get; set; }

        public string? Driver { get; set; }

        /// <summary>"key" or "key=value".</summary>
        public IList<string>? Labels { get; set; }

        public IDictionary<string, IDictionary<string, bool>> ToEngineFilters()
        {
            var filters = new Dictionary<string, IDictionary<string, bool>>();
            if (Dangling)
            {
                filters["dangling"] = new Dictionary<string, bool> { ["true"] = true };
            }

            if (Driver != null)
            {
                filters["driver"] = new Dictionary<string, bool> { [Driver] = true };
            }

            if (Labels != null && Labels.Count > 0)
            {
                filters["label"] = Labels.ToDictionary(l => l, _ => true);
            }

            return filters;
        }
    }

    /// <summary>A container that mounts a volume.</summary>
    internal readonly struct VolumeUser
    {
        public VolumeUser(string name, bool running)
        {
            Name = name;
            Running = running;
        }

        public string Name { get; }

        public bool Running { get; }
    }

    /// <summary>Volume calls, in DockerPS's own terms.</summary>
    internal static partial class VolumeClient
    {
        /// <summary>The first Engine API whose volume prune keeps named volumes unless asked (the 'all' filter).</summary>
        public static readonly System.Version PruneAllFilterApi = new System.Version(1, 42);

        public static async Task<IReadOnlyList<DockerVolume>> ListAsync(EngineConnection c, VolumeFilter filter, CancellationToken ct)
        {
            var list = await c.Api.Volumes.ListAsync(new VolumesListParameters { Filters = filter.ToEngineFilters() }, ct).ConfigureAwait(false);
            var users = await UsersAsync(c, ct).ConfigureAwait(false);
            return (list.Volumes ?? new List<VolumeResponse>())
                .Select(v => DockerVolume.From(c.Host, v, NamesOf(users, v.Name)))
                .OrderBy(v => v.Name, StringComparer.Ordinal)
                .ToArray();
        }

        /// <summary>Just the names, for completion.</summary>
        public static async Task<IEnumerable<string>> NamesAsync(EngineConnection c, CancellationToken ct)
        {
            var list = await c.Api.Volumes.ListAsync(new VolumesListParameters(), ct).ConfigureAwait(false);
            return (list.Volumes ?? new List<VolumeResponse>()).Select(v => v.Name);
        }

        /// <summary>A volume by name; the engine's 404 when there is none.</summary>
        public static async Task<DockerVolume> GetAsync(EngineConnection c, string name, CancellationToken ct)
        {
            var volume = await c.Api.Volumes.InspectAsync(name, ct).ConfigureAwait(false);
            var users = await UsersAsync(c, ct).ConfigureAwait(false);
            return DockerVolume.From(c.Host, volume, NamesOf(users, volume.Name));
        }

        /// <summary>The volume, or null when the engine has none by that name.</summary>
        public static async Task<DockerVolume?> FindAsync(EngineConnection c, string name, CancellationToken ct)
        {
            try
            {
                return await GetAsync(c, name, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        /// <summary>
        /// Creates a volume. The engine quietly returns an existing volume of the same name, so a name that is taken
        /// is refused here first.
        /// </summary>
        public static async Task<DockerVolume> CreateAsync(EngineConnection c, string? name, string? driver, IDictionary<string, string> driverOptions,
            IDictionary<string, string> labels, CancellationToken ct)
        {
            if (name != null && await FindAsync(c, name, ct).ConfigureAwait(false) != null)
            {
                throw new EngineObjectException(ObjectFault.Exists, ResourceKind.Volume, name) { Other = c.Host.ToString() };
            }

            var created = await c.Api.Volumes.CreateAsync(new VolumesCreateParameters
            {
                Name = name!,
                Driver = driver!,
                DriverOpts = driverOptions,
                Labels = labels,
            }, ct).ConfigureAwait(false);
            return DockerVolume.From(c.Host, created, Array.Empty<string>());
        }

        /// <summary>Removes a volume; one that containers use is refused with their names.</summary>
        public static async Task RemoveAsync(EngineConnection c, string name, bool force, CancellationToken ct)
        {
            try
            {
                await c.Api.Volumes.RemoveAsync(name, force, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
            {
                var users = NamesOf(await UsersAsync(c, ct).ConfigureAwait(false), name);
                throw new EngineObjectException(ObjectFault.InUse, ResourceKind.Volume, name, EngineAnswer.Message(ex), ex) { Related = users };
            }
        }

        /// <summary>For each volume name, the containers (running or not) that mount it, found from the container list.</summary>
        public static async Task<IReadOnlyDictionary<string, List<VolumeUser>>> UsersAsync(EngineConnection c, CancellationToken ct)
        {
            var containers = await c.Api.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct).ConfigureAwait(false);
            var users = new Dictionary<string, List<VolumeUser>>(StringComparer.Ordinal);
            foreach (var container in containers)
            {
                string containerName = container.Names?.Select(n => n.TrimStart('/')).FirstOrDefault(n => n.IndexOf('/') < 0) ?? Naming.ShortId(container.ID);
                bool running = string.Equals(container.State, "running", StringComparison.OrdinalIgnoreCase);
                foreach (var mount in container.Mounts ?? new List<MountPoint>())
                {
                    string? volume = mount.Name;
                    if (string.Equals(mount.Type, "volume", StringComparison.Ordinal) && !string.IsNullOrEmpty(volume))
                    {
                        if (!users.TryGetValue(volume!, out var list))
                        {
                            users[volume!] = list = new List<VolumeUser>();
                        }

                        list.Add(new VolumeUser(containerName, running));
                    }
                }
            }

            return users;
        }

        /// <summary>
        /// What a prune would remove, by the engine's rules: volumes no container mounts, with the labels asked for;
        /// from API 1.42 on, only anonymous ones unless <paramref name="all"/>. Sizes come from the engine's disk usage
        /// report; null when it gives none.
        /// </summary>
        public static async Task<IReadOnlyList<(DockerVolume Volume, long? Size)>> PrunePreviewAsync(EngineConnection c, bool all, IList<string>? labels,
            Action<string> explain, CancellationToken ct)
        {
            var unused = await ListAsync(c, new VolumeFilter { Dangling = true, Labels = labels }, ct).ConfigureAwait(false);
            bool anonymousOnly = PrunesOnlyAnonymous(c.Host, all);
            var going = unused.Where(v => !anonymousOnly || v.Labels.ContainsKey(DockerVolume.AnonymousLabel)).ToList();
            IReadOnlyDictionary<string, long> sizes = new Dictionary<string, long>();
            if (going.Count > 0)
            {
                try
                {
                    sizes = await SizesAsync(c, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when ((EngineAnswer.IsFailure(ex) || ex is JsonException) && !ct.IsCancellationRequested)
                {
                    explain($"The engine's disk usage report could not be read ({ex.Message}); volume sizes are unknown.");
                }
            }

            return going.Select(v => (v, sizes.TryGetValue(v.Name, out long size) ? size : (long?)null)).ToArray();
        }

        /// <summary>True when the engine's prune leaves named volumes alone (API 1.42 and later, without 'all').</summary>
        public static bool PrunesOnlyAnonymous(DockerHost host, bool all) =>
            !all && host.ApiVersion != null && host.ApiVersion >= PruneAllFilterApi;

        public static async Task<DockerPruneResult> PruneAsync(EngineConnection c, bool all, IList<string>? labels, CancellationToken ct)
        {
            var filters = new VolumeFilter { Labels = labels }.ToEngineFilters();
            if (all && c.ApiVersion >= PruneAllFilterApi)
            {
                // Older engines know no 'all' filter (and refuse it): they prune named volumes anyway.
                filters["all"] = new Dictionary<string, bool> { ["true"] = true };
            }

            var response = await c.Unbounded.Volumes.PruneAsync(new VolumesPruneParameters { Filters = filters }, ct).ConfigureAwait(false);
            return new DockerPruneResult(c.Host, "Volume", (response.VolumesDeleted ?? new List<string>()).ToArray(), Array.Empty<string>(), (long)response.SpaceReclaimed);
        }

        /// <summary>
        /// Each volume's size in bytes, from the engine's disk usage report. The library's model of that report follows
        /// the newest API, whose shape older engines do not send, so the reply is read as JSON: both the older shape
        /// (Volumes) and the newer one (VolumeUsage.Items). Volumes the engine did not measure are left out.
        /// </summary>
        private static async Task<IReadOnlyDictionary<string, long>> SizesAsync(EngineConnection c, CancellationToken ct)
        {
            bool typed = c.ApiVersion >= PruneAllFilterApi;
            using JsonDocument report = await RawEngineRequest.GetJsonAsync(c, typed ? "system/df?type=volume&verbose=1" : "system/df", ct).ConfigureAwait(false);
            JsonElement root = report.RootElement;
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            JsonElement items = default;
            bool found = root.TryGetProperty("Volumes", out items) && items.ValueKind == JsonValueKind.Array
                || root.TryGetProperty("VolumeUsage", out JsonElement usage) && usage.ValueKind == JsonValueKind.Object
                    && usage.TryGetProperty("Items", out items) && items.ValueKind == JsonValueKind.Array;
            if (!found)
            {
                return sizes;
            }

            foreach (JsonElement volume in items.EnumerateArray())
            {
                if (volume.TryGetProperty("Name", out JsonElement name) && name.ValueKind == JsonValueKind.String
                    && volume.TryGetProperty("UsageData", out JsonElement data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("Size", out JsonElement size) && size.TryGetInt64(out long bytes) && bytes >= 0)
                {
                    sizes[name.GetString()!] = bytes;
                }
            }

            return sizes;
        }

        private static IReadOnlyList<string> NamesOf(IReadOnlyDictionary<string, List<VolumeUser>> users, string volume) =>
            users.TryGetValue(volume, out var list) ? list.Select(u => u.Name).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToArray() : Array.Empty<string>();
    }
}
