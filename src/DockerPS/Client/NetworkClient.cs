using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Errors;

namespace DockerPS.Client
{
    /// <summary>An address range in CIDR form (10.213.1.0/24, fd00::/64), checked before the engine sees it.</summary>
    internal sealed class IPPrefix
    {
        private readonly byte[] bytes;

        private IPPrefix(IPAddress address, int length)
        {
            Address = address;
            Length = length;
            bytes = address.GetAddressBytes();
        }

        public IPAddress Address { get; }

        public int Length { get; }

        public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

        public static IPPrefix Parse(string text, string parameter)
        {
            int slash = text.IndexOf('/');
            if (slash < 0 || !TryParseAddress(text.Substring(0, slash), out IPAddress? address)
                || !int.TryParse(text.Substring(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int length)
                || length > (address!.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32))
            {
                throw BadAddress(text, $"-{parameter} '{text}' is not an address range in CIDR form, such as 10.213.1.0/24 or fd00:213::/64.");
            }

            return new IPPrefix(address, length);
        }

        /// <summary>A whole IPv4 (four parts) or IPv6 address.</summary>
        public static bool TryParseAddress(string text, out IPAddress? address)
        {
            // IPAddress.TryParse takes shorthand such as 10.1 for 10.0.0.1; the engine does not.
            return IPAddress.TryParse(text, out address)
                && (address.AddressFamily == AddressFamily.InterNetworkV6 || text.Split('.').Length == 4);
        }

        public bool Contains(IPAddress address)
        {
            if (address.AddressFamily != Address.AddressFamily)
            {
                return false;
            }

            byte[] other = address.GetAddressBytes();
            for (int bit = 0; bit < Length; bit++)
            {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (other[bit / 8] & mask))
                {
                    return false;
                }
            }

            return true;
        }

        public bool Contains(IPPrefix inner) => inner.Length >= Length && Contains(inner.Address);

        public override string ToString() => $"{Address}/{Length}";

        internal static DockerPSException BadAddress(string target, string message) =>
            new DockerPSException(ErrorIds.InvalidNetworkAddress, ErrorCategory.InvalidArgument, target, message);
    }

    /// <summary>One address pool of a new network: a subnet with, optionally, its gateway and narrower range.</summary>
    internal sealed class NetworkPool
    {
        public NetworkPool(IPPrefix subnet) => Subnet = subnet;

        public IPPrefix Subnet { get; }

        public string? Gateway { get; set; }

        public string? IPRange { get; set; }

        /// <summary>
        /// Pairs each gateway and range with the subnet that holds it, as the docker CLI does; one that no subnet
        /// holds, or a second one for the same subnet, is refused.
        /// </summary>
        public static IReadOnlyList<NetworkPool> Build(IEnumerable<string> subnets, IEnumerable<string> gateways, IEnumerable<string> ranges)
        {
            var pools = subnets.Select(s => new NetworkPool(IPPrefix.Parse(s, "Subnet"))).ToList();
            for (int i = 0; i < pools.Count; i++)
            {
                for (int j = i + 1; j < pools.Count; j++)
                {
                    if (pools[i].Subnet.Contains(pools[j].Subnet) || pools[j].Subnet.Contains(pools[i].Subnet))
                    {
                        throw new DockerPSException(ErrorIds.SubnetOverlap, ErrorCategory.InvalidArgument, pools[j].Subnet.ToString(),
                            $"The subnets {pools[i].Subnet} and {pools[j].Subnet} overlap. Give subnets that do not share addresses.");
                    }
                }
            }

            foreach (string gateway in gateways)
            {
                if (!IPPrefix.TryParseAddress(gateway, out IPAddress? address))
                {
                    throw IPPrefix.BadAddress(gateway, $"-Gateway '{gateway}' is not an IP address.");
                }

                NetworkPool pool = Holder(pools, p => p.Subnet.Contains(address!), gateway, "Gateway");
                if (pool.Gateway != null)
                {
                    throw IPPrefix.BadAddress(gateway, $"The subnet {pool.Subnet} has two gateways, {pool.Gateway} and {gateway}. Give one per subnet.");
                }

                pool.Gateway = gateway;
            }

            foreach (string range in ranges)
            {
                IPPrefix prefix = IPPrefix.Parse(range, "IPRange");
                NetworkPool pool = Holder(pools, p => p.Subnet.Contains(prefix), range, "IPRange");
                if (pool.IPRange != null)
                {
                    throw IPPrefix.BadAddress(range, $"The subnet {pool.Subnet} has two ranges, {pool.IPRange} and {range}. Give one per subnet.");
                }

                pool.IPRange = range;
            }

            return pools;
        }

        private static NetworkPool Holder(List<NetworkPool> pools, Func<NetworkPool, bool> holds, string value, string parameter)
        {
            if (pools.Count == 0)
            {
                throw IPPrefix.BadAddress(value, $"-{parameter} needs -Subnet: give the subnet that {value} belongs to.");
            }

            return pools.FirstOrDefault(holds)
                ?? throw IPPrefix.BadAddress(value, $"-{parameter} '{value}' is not inside any -Subnet ({string.Join(", ", pools.Select(p => p.Subnet))}).");
        }
    }

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
                throw new DockerPSException(ErrorIds.NetworkExists, ErrorCategory.ResourceExists, o.Name,
                    $"A network named '{o.Name}' already exists on {c.Host}. Choose another name, or remove the existing network first.");
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
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && Says(ex, "plugin"))
            {
                throw DriverNotFound(o, Array.Empty<string>(), ex);
            }
            catch (DockerApiException ex) when (Says(ex, "overlaps"))
            {
                throw new DockerPSException(ErrorIds.SubnetOverlap, ErrorCategory.InvalidArgument, o.Name,
                    $"Network '{o.Name}' was not created: {ErrorMapper.EngineMessage(ex)}. Another network uses part of that address space; choose a subnet no other network uses (Get-DockerNetwork shows theirs).", ex);
            }
            catch (DockerApiException ex) when (Says(ex, "subnet") || Says(ex, "gateway") || Says(ex, "out of range") || Says(ex, "address"))
            {
                throw IPPrefix.BadAddress(o.Name, $"Network '{o.Name}' was not created: {ErrorMapper.EngineMessage(ex)}.");
            }

            var network = await GetAsync(c, created.ID, ct).ConfigureAwait(false);
            return (network, string.IsNullOrWhiteSpace(created.Warning) ? null : created.Warning);
        }

        private static DockerPSException DriverNotFound(NetworkCreateOptions o, IList<string> drivers, Exception? inner) =>
            new DockerPSException(ErrorIds.NetworkDriverNotFound, ErrorCategory.ObjectNotFound, o.Driver,
                $"Network '{o.Name}' was not created: the engine has no network driver '{o.Driver}'."
                + (drivers.Count > 0 ? $" Its network drivers are: {string.Join(", ", drivers)}." : string.Empty)
                + " Pass one of those to -Driver, or install the driver's plugin on the engine first.", inner);

        /// <summary>Removes a network; one with containers connected is refused with their names.</summary>
        public static async Task RemoveAsync(EngineConnection c, string idOrName, CancellationToken ct)
        {
            try
            {
                await c.Api.Networks.DeleteNetworkAsync(idOrName, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (Says(ex, "active endpoints"))
            {
                DockerNetwork network = await GetAsync(c, idOrName, ct).ConfigureAwait(false);
                string who = network.Containers.Count > 0 ? string.Join(", ", network.Containers) : "containers";
                throw new DockerPSException(ErrorIds.NetworkInUse, ErrorCategory.ResourceUnavailable, idOrName,
                    $"Network '{network.Name}' has {who} connected, so it was not removed. Disconnect them (Disconnect-DockerNetwork) or remove them first.", ex);
            }
            catch (DockerApiException ex) when (Says(ex, "pre-defined"))
            {
                throw new DockerPSException(ErrorIds.NetworkPredefined, ErrorCategory.InvalidOperation, idOrName,
                    $"Network '{idOrName}' is one of the engine's own networks (bridge, host, none), which cannot be removed.", ex);
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
            catch (DockerApiException ex) when (Says(ex, "already exists"))
            {
                throw new DockerPSException(ErrorIds.ContainerAlreadyConnected, ErrorCategory.ResourceExists, shown,
                    $"Container '{shown}' is already connected to network '{target.Name}'. Disconnect it first to connect it with other settings.", ex);
            }
            catch (DockerApiException ex) when (ipAddress != null && (Says(ex, "address") || Says(ex, "subnet")))
            {
                throw IPPrefix.BadAddress(ipAddress, $"Container '{shown}' was not connected to network '{target.Name}': {ErrorMapper.EngineMessage(ex)}.");
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
            catch (DockerApiException ex) when (Says(ex, "not connected"))
            {
                throw new DockerPSException(ErrorIds.ContainerNotConnected, ErrorCategory.InvalidOperation, shown,
                    $"Container '{shown}' is not connected to network '{target.Name}'.", ex);
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
                throw new DockerPSException(ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, network,
                    $"Network '{network}' was not found on the engine ({ErrorMapper.EngineMessage(ex)}). Check the name or id with Get-DockerNetwork.", ex);
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
                throw new DockerPSException(ErrorIds.ContainerNotFound, ErrorCategory.ObjectNotFound, shown,
                    $"Container '{shown}' was not found on the engine ({ErrorMapper.EngineMessage(ex)}). Check the name or id with Get-DockerContainer.", ex);
            }
        }

        private static bool Says(DockerApiException ex, string words) =>
            ErrorMapper.EngineMessage(ex).IndexOf(words, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
