using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet.Models;
using DockerPS.Specs;

namespace DockerPS.Client
{
    /// <summary>The engine's image filters, in DockerPS's terms.</summary>
    internal sealed class ImageFilter
    {
        public bool All { get; set; }

        public bool Dangling { get; set; }

        /// <summary>"key" or "key=value".</summary>
        public IList<string>? Labels { get; set; }

        /// <summary>Images created before this reference.</summary>
        public string? Before { get; set; }

        /// <summary>Images created after this reference.</summary>
        public string? Since { get; set; }

        /// <summary>Engine-side reference patterns (repository[:tag], with the engine's glob rules).</summary>
        public IList<string>? References { get; set; }

        /// <summary>For prunes: only images created before this moment.</summary>
        public DateTime? Until { get; set; }

        /// <summary>The engine's filter map; the image list knows no 'until' (only prune does), so lists leave it out.</summary>
        public IDictionary<string, IDictionary<string, bool>> ToEngineFilters(bool forPrune = false)
        {
            var filters = new Dictionary<string, IDictionary<string, bool>>();
            void Add(string key, string value)
            {
                if (!filters.TryGetValue(key, out var set))
                {
                    filters[key] = set = new Dictionary<string, bool>();
                }

                set[value] = true;
            }

            if (Dangling)
            {
                Add("dangling", "true");
            }

            foreach (string label in Labels ?? Array.Empty<string>())
            {
                Add("label", label);
            }

            if (Before != null)
            {
                Add("before", Before);
            }

            if (Since != null)
            {
                Add("since", Since);
            }

            foreach (string reference in References ?? Array.Empty<string>())
            {
                Add("reference", reference);
            }

            if (Until.HasValue && forPrune)
            {
                Add("until", TimeSpec.UnixSeconds(Until.Value).ToString(CultureInfo.InvariantCulture));
            }

            return filters;
        }
    }

    /// <summary>Local image calls: tag, history, commit, prune.</summary>
    internal static partial class ImageClient
    {
        public static Task TagAsync(EngineConnection c, string source, string target, CancellationToken ct)
        {
            var (repository, tag) = SplitForPull(target);
            return c.Api.Images.TagImageAsync(source, new ImageTagParameters { RepositoryName = repository, Tag = tag! }, ct);
        }

        public static async Task<IReadOnlyList<DockerImageLayer>> HistoryAsync(EngineConnection c, string reference, string shown, CancellationToken ct)
        {
            var history = await c.Api.Images.GetImageHistoryAsync(reference, ct).ConfigureAwait(false);
            return history.Select((h, i) => new DockerImageLayer(c.Host, shown, i,
                string.IsNullOrEmpty(h.ID) || h.ID == "<missing>" ? null : h.ID,
                h.Created.ToUniversalTime(), h.CreatedBy ?? string.Empty, h.Size, h.Comment ?? string.Empty,
                Naming.RealTags(h.Tags))).ToArray();
        }

        public static async Task<string> CommitAsync(EngineConnection c, string containerId, string? repository, string? tag, string? author, string? message,
            IList<string>? changes, bool pause, CancellationToken ct)
        {
            var response = await c.Unbounded.Images.CommitContainerChangesAsync(new CommitContainerChangesParameters
            {
                ContainerID = containerId,
                RepositoryName = repository!,
                Tag = tag!,
                Author = author!,
                Comment = message!,
                Changes = changes!,
                Pause = pause,
            }, ct).ConfigureAwait(false);
            return response.ID;
        }

        /// <summary>
        /// What a prune with these filters would remove, worked out as the engine does: images no container uses
        /// (only dangling ones unless <paramref name="all"/>). The bytes are those of the layers that no other image
        /// keeps, which is what the engine reclaims; each such layer is counted once, against the first image that has it.
        /// </summary>
        public static async Task<IReadOnlyList<(DockerImage Image, long Frees)>> PrunePreviewAsync(EngineConnection c, bool all, ImageFilter filter, CancellationToken ct)
        {
            filter.Dangling = !all;
            var candidates = (await ListAsync(c, filter, ct).ConfigureAwait(false))
                .Where(i => !filter.Until.HasValue || i.Created < filter.Until.Value.ToUniversalTime())
                .ToList();
            var containers = await c.Api.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct).ConfigureAwait(false);
            var used = new HashSet<string>(containers.Select(x => x.ImageID), StringComparer.Ordinal);
            var going = candidates.Where(i => !used.Contains(i.Id)).ToList();
            var goingIds = new HashSet<string>(going.Select(i => i.Id), StringComparer.Ordinal);

            // Layers kept by every image that stays.
            var kept = new HashSet<string>(StringComparer.Ordinal);
            foreach (DockerImage other in await ListAsync(c, new ImageFilter { All = true }, ct).ConfigureAwait(false))
            {
                if (!goingIds.Contains(other.Id))
                {
                    foreach (var layer in await LayersAsync(c, other.Id, ct).ConfigureAwait(false))
                    {
                        kept.Add(layer.Chain);
                    }
                }
            }

            var counted = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<(DockerImage, long)>();
            foreach (DockerImage image in going)
            {
                long frees = 0;
                foreach (var layer in await LayersAsync(c, image.Id, ct).ConfigureAwait(false))
                {
                    if (!kept.Contains(layer.Chain) && counted.Add(layer.Chain))
                    {
                        frees += layer.Size;
                    }
                }

                result.Add((image, frees));
            }

            return result;
        }

        /// <summary>
        /// An image's layers, bottom first: a key for the layer together with everything under it (layers are shared
        /// only as whole stacks), and the bytes the layer itself holds, taken from the history entries that made layers.
        /// </summary>
        private static async Task<IReadOnlyList<(string Chain, long Size)>> LayersAsync(EngineConnection c, string id, CancellationToken ct)
        {
            var inspect = await c.Api.Images.InspectImageAsync(id, ct).ConfigureAwait(false);
            var diffs = inspect.RootFS?.Layers ?? new List<string>();
            var history = await c.Api.Images.GetImageHistoryAsync(id, ct).ConfigureAwait(false);
            var layerSizes = history.Reverse()
                .Where(h => h.Size > 0 || (h.CreatedBy ?? string.Empty).IndexOf("#(nop)", StringComparison.Ordinal) < 0)
                .Select(h => h.Size)
                .ToList();
            if (layerSizes.Count != diffs.Count)
            {
                // History that does not line up with the layers (rare): put the image's bytes on its top layer.
                layerSizes = diffs.Select((_, i) => i == diffs.Count - 1 ? inspect.Size : 0L).ToList();
            }

            var layers = new List<(string, long)>();
            string chain = string.Empty;
            for (int i = 0; i < diffs.Count; i++)
            {
                chain = chain + "/" + diffs[i];
                layers.Add((chain, layerSizes[i]));
            }

            return layers;
        }

        public static async Task<DockerPruneResult> PruneAsync(EngineConnection c, bool all, ImageFilter filter, CancellationToken ct)
        {
            // The engine lists deleted layers beside deleted images; knowing the images beforehand tells them apart.
            var imagesBefore = new HashSet<string>((await ListAsync(c, new ImageFilter { All = true }, ct).ConfigureAwait(false)).Select(i => i.Id), StringComparer.Ordinal);
            var filters = filter.ToEngineFilters(forPrune: true);
            filters["dangling"] = new Dictionary<string, bool> { [all ? "false" : "true"] = true };
            var response = await c.Unbounded.Images.PruneImagesAsync(new ImagesPruneParameters { Filters = filters }, ct).ConfigureAwait(false);
            var items = response.ImagesDeleted ?? new List<ImageDeleteResponse>();
            var deleted = items.Where(d => !string.IsNullOrEmpty(d.Deleted)).Select(d => d.Deleted!).ToList();
            var untagged = items.Where(d => !string.IsNullOrEmpty(d.Untagged)).Select(d => d.Untagged!).ToArray();
            return new DockerPruneResult(c.Host, "Image", deleted.Where(imagesBefore.Contains).ToArray(), untagged, (long)response.SpaceReclaimed)
            {
                DeletedLayers = deleted.Where(d => !imagesBefore.Contains(d)).ToArray(),
            };
        }
    }
}
