using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Archives;

namespace DockerPS.Client
{
    /// <summary>What the engine held, before a load, of the images and references an archive names.</summary>
    internal sealed class LoadSnapshot
    {
        public LoadSnapshot(IReadOnlyList<ArchivedImage> images, ISet<string> existingIds, IDictionary<string, string?> referenceTargets)
        {
            Images = images;
            ExistingIds = existingIds;
            ReferenceTargets = referenceTargets;
        }

        /// <summary>The images the archive holds.</summary>
        public IReadOnlyList<ArchivedImage> Images { get; }

        /// <summary>Archived image ids the engine already had.</summary>
        public ISet<string> ExistingIds { get; }

        /// <summary>Each archived reference and the image id it named before the load (null: it did not exist).</summary>
        public IDictionary<string, string?> ReferenceTargets { get; }
    }

    /// <summary>Undoing a load that was stopped after the engine had the whole archive.</summary>
    internal static partial class ImageClient
    {
        public static async Task<LoadSnapshot> SnapshotAsync(EngineConnection c, IReadOnlyList<ArchivedImage> images, CancellationToken ct)
        {
            var existing = new HashSet<string>();
            var targets = new Dictionary<string, string?>();
            foreach (ArchivedImage image in images)
            {
                if (await IdOfAsync(c, image.Id, ct).ConfigureAwait(false) != null)
                {
                    existing.Add(image.Id);
                }

                foreach (string reference in image.RepoTags)
                {
                    targets[reference] = await IdOfAsync(c, reference, ct).ConfigureAwait(false);
                }
            }

            return new LoadSnapshot(images, existing, targets);
        }

        /// <summary>
        /// Puts back what a stopped load changed: references it added are removed, references it moved point again at
        /// the image they named before, and images the engine did not have before are deleted. Nothing else is touched.
        /// </summary>
        public static async Task UndoLoadAsync(EngineConnection c, LoadSnapshot before, CancellationToken ct)
        {
            var archivedIds = new HashSet<string>(before.Images.Select(i => i.Id));
            foreach (var entry in before.ReferenceTargets)
            {
                string? now = await IdOfAsync(c, entry.Key, ct).ConfigureAwait(false);
                if (now == null || now == entry.Value || !archivedIds.Contains(now))
                {
                    continue;
                }

                if (entry.Value != null && await IdOfAsync(c, entry.Value, ct).ConfigureAwait(false) != null)
                {
                    await TagAsync(c, entry.Value, entry.Key, ct).ConfigureAwait(false);
                }
                else
                {
                    await DeleteQuietlyAsync(c, entry.Key, ct).ConfigureAwait(false);
                }
            }

            foreach (string id in archivedIds.Where(id => !before.ExistingIds.Contains(id)))
            {
                await DeleteQuietlyAsync(c, id, ct).ConfigureAwait(false);
            }
        }

        private static async Task<string?> IdOfAsync(EngineConnection c, string reference, CancellationToken ct)
        {
            try
            {
                return (await c.Api.Images.InspectImageAsync(reference, ct).ConfigureAwait(false)).ID;
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }

        /// <summary>Untags a reference or deletes an image; one that is already gone is what was wanted.</summary>
        private static async Task DeleteQuietlyAsync(EngineConnection c, string reference, CancellationToken ct)
        {
            try
            {
                await c.Api.Images.DeleteImageAsync(reference, new ImageDeleteParameters(), ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }
    }
}
