using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using DockerPS.Errors;

namespace DockerPS.Specs
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
}
