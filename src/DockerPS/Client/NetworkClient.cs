using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Specs;

namespace DockerPS.Client
{
    /// <summary>What New-DockerNetwork asks the engine for.</summary>
    internal sealed class NetworkCreateOptions
    {
        public string Name { get; set; } = string.Empty;

        public string Driver { get; set; } = "bridge";

        public IReadOnlyList<NetworkPool> Pools { get; set; } = Array.Empty<NetworkPool>();

        public bool Internal { get; set; }

        public bool Attachable { get; set; }

        public bool EnableIPv6 { get; set; }

        public IDictionary<string, string> Options { get; set; } = new Dictionary<string, string>();

        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>();
    }

    /// <summary>Network calls, in DockerPS's own terms.</summary>
    internal static class NetworkClient
    {
        /// <summary>
        /// Networks, inspected one by one: the engine's list leaves out which containers are connected.
        /// </summary>
        public static async Task<IReadOnlyList<DockerNetwork>> ListAsync(EngineConnection c, string? driver, IList<string>? labels, CancellationToken ct)
        {
            var filters = new Dictionary<string, IDictionary<string, bool>>();
            if (driver != null)
            {
                filters["driver"] = new Dictionary<string, bool> { [driver] = true };
            }

            if (labels != null && labels.Count > 0)
            {
                filters["label"] = labels.ToDictionary(l => l, _ => true);
            }

            var list = await c.Api.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filters }, ct).ConfigureAwait(false);
            var networks = new List<DockerNetwork>();
            foreach (var summary in list)
            {
                try
                {
                    networks.Add(DockerNetwork.From(c.Host, await c.Api.Networks.InspectNetworkAsync(summary.ID, ct).ConfigureAwait(false)));
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    // Removed since the list was made.
                }
            }

            return networks.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        }

        /// <summary>Just the names, for completion.</summary>
        public static async Task<IEnumerable<string>> NamesAsync(EngineConnection c, CancellationToken ct)
        {
            var list = await c.Api.Networks.ListNetworksAsync(new NetworksListParameters(), ct).ConfigureAwait(false);
            return list.Select(n => n.Name);
        }

        /// <summary>A network by name, id or id prefix; the engine's 404 when there is none.</summary>
        public static async Task<DockerNetwork> GetAsync(EngineConnection c, string idOrName, CancellationToken ct) =>
            DockerNetwork.From(c.Host, await c.Api.Networks.InspectNetworkAsync(idOrName, ct).ConfigureAwait(false));

        /// <summary>
        /// Creates a network; returns it and the engine's warning, if any. Engines before API 1.44 allow two networks of
        /// one name unless asked not to, which this library cannot ask, so a name that is taken is refused here first.
        /// </summary>
        public static async Task<(DockerNetwork Network, string? Warning)> CreateAsync(EngineConnection c, NetworkCreateOptions o, CancellationToken ct)
        {
            var existing = await c.Api.Networks.ListNetworksAsync(new NetworksListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [o.Name] = true } },
            }, ct).ConfigureAwait(false);
            if (existing.Any(n => string.Equals(n.Name, o.Name, StringComparison.Ordinal)))
            {
                throw new EngineObjectException(ObjectFault.Exists, ResourceKind.Network, o.Name) { Other = c.Host.ToString() };
            }

            // An unknown driver costs 15 s in the engine, which waits for a plugin to appear, then says the *network* was not found.
            if (!string.IsNullOrEmpty(o.Driver))
            {
                var info = await c.Api.System.GetSystemInfoAsync(ct).ConfigureAwait(false);
                IList<string> drivers = info.Plugins?.Network ?? new List<string>();
                if (!drivers.Any(d => d == o.Driver || d == o.Driver + ":latest"))
                {
                    throw DriverNotFound(o, drivers, null);
                }
            }

            var parameters = new NetworksCreateParameters
            {
                Name = o.Name,
                Driver = o.Driver,
                Internal = o.Internal,
                Attachable = o.Attachable,
                EnableIPv6 = o.EnableIPv6 || o.Pools.Any(p => p.Subnet.IsIPv6),
                Options = o.Options,
                Labels = o.Labels,
                IPAM = o.Pools.Count == 0 ? null! : new IPAM
                {
                    Driver = "default",
                    Config = o.Pools.Select(p => new IPAMConfig { Subnet = p.Subnet.ToString(), Gateway = p.Gateway!, IPRange = p.IPRange! }).ToList(),
                },
            };
            NetworksCreateResponse created;
            try
            {
                created = await c.Api.Networks.CreateNetworkAsync(parameters, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && EngineAnswer.Says(ex, "plugin"))
            {
                throw DriverNotFound(o, Array.Empty<string>(), ex);
            }
            catch (DockerApiException ex) when (EngineAnswer.Says(ex, "overlaps"))
            {
                throw new EngineObjectException(ObjectFault.SubnetOverlap, ResourceKind.Network, o.Name, EngineAnswer.Message(ex), ex);
            }
            catch (DockerApiException ex) when (EngineAnswer.Says(ex, "subnet") || EngineAnswer.Says(ex, "gateway") || EngineAnswer.Says(ex, "out of range") || EngineAnswer.Says(ex, "address"))
            {
                throw new EngineObjectException(ObjectFault.AddressRejected, ResourceKind.Network, o.Name, EngineAnswer.Message(ex), ex);
            }

            var network = await GetAsync(c, created.ID, ct).ConfigureAwait(false);
            return (network, string.IsNullOrWhiteSpace(created.Warning) ? null : created.Warning);
        }

        private static EngineObjectException DriverNotFound(NetworkCreateOptions o, IList<string> drivers, Exception? inner) =>
            new EngineObjectException(ObjectFault.DriverNotFound, ResourceKind.Network, o.Driver, null, inner) { Name = o.Name, Related = drivers.ToArray() };

        /// <summary>Removes a network; one with containers connected is refused with their names.</summary>
        public static async Task RemoveAsync(EngineConnection c, string idOrName, CancellationToken ct)
        {
            try
            {
                await c.Api.Networks.DeleteNetworkAsync(idOrName, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (EngineAnswer.Says(ex, "active endpoints"))
            {
                DockerNetwork network = await GetAsync(c, idOrName, ct).ConfigureAwait(false);
                throw new EngineObjectException(ObjectFault.InUse, ResourceKind.Network, idOrName, EngineAnswer.Message(ex), ex)
                {
                    Name = network.Name,
                    Related = network.Containers.ToArray(),
                };
            }
            catch (DockerApiException ex) when (EngineAnswer.Says(ex, "pre-defined"))
            {
                throw new EngineObjectException(ObjectFault.Predefined, ResourceKind.Network, idOrName, EngineAnswer.Message(ex), ex);
            }
        }

        /// <summary>Connects a container; both must exist (each missing one is its own not-found error).</summary>
        public static async Task ConnectAsync(EngineConnection c, string network, string container, string shown, IList<string>? aliases, string? ipAddress, CancellationToken ct)
        {
            DockerNetwork target = await NamedNetworkAsync(c, network, ct).ConfigureAwait(false);
            string containerId = await ContainerIdAsync(c, container, shown, ct).ConfigureAwait(false);
            EndpointIPAMConfig? ipam = null;
            if (ipAddress != null)
            {
                bool v6 = IPAddress.Parse(ipAddress).AddressFamily == AddressFamily.InterNetworkV6;
                ipam = new EndpointIPAMConfig { IPv4Address = v6 ? null! : ipAddress, IPv6Address = v6 ? ipAddress : null! };
            }

            try
            {
                await c.Api.Networks.ConnectNetworkAsync(target.Id, new NetworkConnectParameters
                {
                    Container = containerId,
                    EndpointConfig = new EndpointSettings { Aliases = aliases!, IPAMConfig = ipam! },
                }, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (EngineAnswer.Says(ex, "already exists"))
            {
                throw new EngineObjectException(ObjectFault.AlreadyConnected, ResourceKind.Container, shown, EngineAnswer.Message(ex), ex) { Other = target.Name };
            }
            catch (DockerApiException ex) when (ipAddress != null && (EngineAnswer.Says(ex, "address") || EngineAnswer.Says(ex, "subnet")))
            {
                throw new EngineObjectException(ObjectFault.AddressRejected, ResourceKind.Container, ipAddress, EngineAnswer.Message(ex), ex) { Name = shown, Other = target.Name };
            }
        }

        /// <summary>Disconnects a container; both must exist, and it must be connected.</summary>
        public static async Task DisconnectAsync(EngineConnection c, string network, string container, string shown, bool force, CancellationToken ct)
        {
            DockerNetwork target = await NamedNetworkAsync(c, network, ct).ConfigureAwait(false);
            string containerId = await ContainerIdAsync(c, container, shown, ct).ConfigureAwait(false);
            try
            {
                await c.Api.Networks.DisconnectNetworkAsync(target.Id, new NetworkDisconnectParameters { Container = containerId, Force = force }, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (EngineAnswer.Says(ex, "not connected"))
            {
                throw new EngineObjectException(ObjectFault.NotConnected, ResourceKind.Container, shown, EngineAnswer.Message(ex), ex) { Other = target.Name };
            }
        }

        /// <summary>What a prune would remove, by the engine's rules: networks of the user's with no container connected now.</summary>
        public static async Task<IReadOnlyList<DockerNetwork>> PrunePreviewAsync(EngineConnection c, IList<string>? labels, DateTime? until, CancellationToken ct)
        {
            var networks = await ListAsync(c, null, labels, ct).ConfigureAwait(false);
            return networks
                .Where(n => !n.IsPredefined && n.Endpoints.Count == 0)
                .Where(n => !until.HasValue || n.Created < until.Value.ToUniversalTime())
                .ToArray();
        }

        public static async Task<DockerPruneResult> PruneAsync(EngineConnection c, IList<string>? labels, DateTime? until, CancellationToken ct)
        {
            var filters = new Dictionary<string, IDictionary<string, bool>>();
            if (labels != null && labels.Count > 0)
            {
                filters["label"] = labels.ToDictionary(l => l, _ => true);
            }

            if (until.HasValue)
            {
                long seconds = (long)(until.Value.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds;
                filters["until"] = new Dictionary<string, bool> { [seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)] = true };
            }

            var response = await c.Unbounded.Networks.PruneNetworksAsync(new NetworksDeleteUnusedParameters { Filters = filters }, ct).ConfigureAwait(false);
            return new DockerPruneResult(c.Host, "Network", (response.NetworksDeleted ?? new List<string>()).ToArray(), Array.Empty<string>(), 0);
        }

        /// <summary>The network a connect or disconnect names; missing, it is that network's error, whatever the container.</summary>
        private static async Task<DockerNetwork> NamedNetworkAsync(EngineConnection c, string network, CancellationToken ct)
        {
            try
            {
                return await GetAsync(c, network, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw new EngineObjectException(ObjectFault.NotFound, ResourceKind.Network, network, EngineAnswer.Message(ex), ex);
            }
        }

        private static async Task<string> ContainerIdAsync(EngineConnection c, string container, string shown, CancellationToken ct)
        {
            try
            {
                return (await c.Api.Containers.InspectContainerAsync(container, ct).ConfigureAwait(false)).ID;
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw new EngineObjectException(ObjectFault.NotFound, ResourceKind.Container, shown, EngineAnswer.Message(ex), ex);
            }
        }
    }
}
