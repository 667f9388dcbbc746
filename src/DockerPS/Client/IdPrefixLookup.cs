using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>Which objects of a kind have ids that start with a prefix, to name them when the prefix is ambiguous.</summary>
    internal static class IdPrefixLookup
    {
        /// <summary>"short id (name)" of each match, in id order.</summary>
        public static async Task<IReadOnlyList<string>> MatchesAsync(EngineConnection c, ResourceKind kind, string prefix, CancellationToken ct)
        {
            IEnumerable<(string Id, string Name)> all;
            switch (kind)
            {
                case ResourceKind.Container:
                    var containers = await c.Api.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct).ConfigureAwait(false);
                    all = containers.Select(x => (x.ID, x.Names?.FirstOrDefault()?.TrimStart('/') ?? string.Empty));
                    break;
                case ResourceKind.Image:
                    var images = await c.Api.Images.ListImagesAsync(new ImagesListParameters { All = true }, ct).ConfigureAwait(false);
                    all = images.Select(x => (x.ID, Naming.RealTags(x.RepoTags).FirstOrDefault() ?? "<none>"));
                    break;
                case ResourceKind.Network:
                    var networks = await c.Api.Networks.ListNetworksAsync(new NetworksListParameters(), ct).ConfigureAwait(false);
                    all = networks.Select(x => (x.ID, x.Name));
                    break;
                default:
                    return Array.Empty<string>();
            }

            return all
                .Where(x => Naming.IsIdPrefix(x.Id, prefix))
                .OrderBy(x => x.Id, StringComparer.Ordinal)
                .Select(x => x.Name.Length > 0 ? $"{Naming.ShortId(x.Id)} ({x.Name})" : Naming.ShortId(x.Id))
                .ToArray();
        }
    }
}
