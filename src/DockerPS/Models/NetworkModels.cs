using System;
using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;

namespace DockerPS
{
    /// <summary>One address range of a network.</summary>
    public sealed class DockerNetworkSubnet
    {
        internal DockerNetworkSubnet(string subnet, string? gateway, string? ipRange)
        {
            Subnet = subnet;
            Gateway = gateway;
            IPRange = ipRange;
        }

        /// <summary>The subnet in CIDR form, such as 10.213.1.0/24.</summary>
        public string Subnet { get; }

        /// <summary>The gateway address, when the engine reports one.</summary>
        public string? Gateway { get; }

        /// <summary>The part of the subnet containers get addresses from, when narrowed.</summary>
        public string? IPRange { get; }

        public override string ToString() => Subnet;
    }

    /// <summary>A container connected to a network.</summary>
    public sealed class DockerNetworkEndpoint
    {
        internal DockerNetworkEndpoint(string container, string containerId, string? ipv4Address, string? ipv6Address, string? macAddress)
        {
            Container = container;
            ContainerId = containerId;
            IPv4Address = ipv4Address;
            IPv6Address = ipv6Address;
            MacAddress = macAddress;
        }

        /// <summary>The container's name.</summary>
        public string Container { get; }

        /// <summary>The container's id.</summary>
        public string ContainerId { get; }

        /// <summary>The container's address on the network, in CIDR form.</summary>
        public string? IPv4Address { get; }

        /// <summary>The container's IPv6 address on the network, in CIDR form, if any.</summary>
        public string? IPv6Address { get; }

        /// <summary>The container's MAC address on the network.</summary>
        public string? MacAddress { get; }

        public override string ToString() => Container;
    }

    /// <summary>A network on an engine.</summary>
    public sealed class DockerNetwork
    {
        private static readonly string[] PredefinedNames = { "bridge", "host", "none" };

        internal DockerNetwork(DockerHost host, string id)
        {
            DockerHost = host;
            Id = id;
        }

        /// <summary>The full network id.</summary>
        public string Id { get; }

        /// <summary>The 12-character id the docker CLI shows.</summary>
        public string ShortId => Naming.ShortId(Id);

        /// <summary>The network's name.</summary>
        public string Name { get; internal set; } = string.Empty;

        /// <summary>The network driver, such as bridge, host, null or overlay.</summary>
        public string Driver { get; internal set; } = string.Empty;

        /// <summary>local, global or swarm.</summary>
        public string Scope { get; internal set; } = string.Empty;

        /// <summary>When the network was created (UTC).</summary>
        public DateTime Created { get; internal set; }

        /// <summary>True when containers on the network have no route out of it.</summary>
        public bool Internal { get; internal set; }

        /// <summary>True when standalone containers may join a swarm network.</summary>
        public bool Attachable { get; internal set; }

        /// <summary>True when the network has IPv6 enabled.</summary>
        public bool EnableIPv6 { get; internal set; }

        /// <summary>True for the networks every engine has (bridge, host, none), which cannot be removed.</summary>
        public bool IsPredefined => PredefinedNames.Contains(Name, StringComparer.Ordinal);

        /// <summary>The network's address ranges.</summary>
        public IReadOnlyList<DockerNetworkSubnet> Subnets { get; internal set; } = Array.Empty<DockerNetworkSubnet>();

        /// <summary>Names of the containers connected to the network now.</summary>
        public IReadOnlyList<string> Containers => Endpoints.Select(e => e.Container).ToArray();

        /// <summary>The connected containers with their addresses.</summary>
        public IReadOnlyList<DockerNetworkEndpoint> Endpoints { get; internal set; } = Array.Empty<DockerNetworkEndpoint>();

        /// <summary>Driver options of the network.</summary>
        public IReadOnlyDictionary<string, string> Options { get; internal set; } = new Dictionary<string, string>();

        /// <summary>Labels of the network.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();

        /// <summary>The engine the network lives on.</summary>
        public DockerHost DockerHost { get; }

        public override string ToString() => Name.Length > 0 ? Name : ShortId;

        internal static DockerNetwork From(DockerHost host, NetworkResponse n) =>
            new DockerNetwork(host, n.ID)
            {
                Name = n.Name ?? string.Empty,
                Driver = n.Driver ?? string.Empty,
                Scope = n.Scope ?? string.Empty,
                Created = n.Created.ToUniversalTime(),
                Internal = n.Internal,
                Attachable = n.Attachable,
                EnableIPv6 = n.EnableIPv6,
                Subnets = (n.IPAM?.Config ?? new List<IPAMConfig>())
                    .Where(c => !string.IsNullOrEmpty(c.Subnet))
                    .Select(c => new DockerNetworkSubnet(c.Subnet, Empty(c.Gateway), Empty(c.IPRange)))
                    .ToArray(),
                Endpoints = (n.Containers ?? new Dictionary<string, EndpointResource>())
                    .Select(e => new DockerNetworkEndpoint(e.Value.Name ?? Naming.ShortId(e.Key), e.Key, Empty(e.Value.IPv4Address), Empty(e.Value.IPv6Address), Empty(e.Value.MacAddress)))
                    .OrderBy(e => e.Container, StringComparer.Ordinal)
                    .ToArray(),
                Options = Naming.Labels(n.Options),
                Labels = Naming.Labels(n.Labels),
            };

        private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;
    }
}
