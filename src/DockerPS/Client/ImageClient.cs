using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Archives;

namespace DockerPS.Client
{
    /// <summary>What removing one image did.</summary>
    internal sealed class ImageRemoval
    {
        public List<string> Untagged { get; } = new List<string>();

        public List<string> Deleted { get; } = new List<string>();
    }

    /// <summary>
    /// What removing one reference of an image will do, worked out as the engine does it: the reference is untagged;
    /// when it was the repository's last tag, the repository's digest references go with it; when no reference is
    /// left, the image itself is deleted.
    /// </summary>
    internal sealed class ReferenceRemovalPlan
    {
        private ReferenceRemovalPlan(IReadOnlyList<string> untags, bool deletesImage)
        {
            Untags = untags;
            DeletesImage = deletesImage;
        }

        public IReadOnlyList<string> Untags { get; }

        public bool DeletesImage { get; }

        public static ReferenceRemovalPlan For(DockerImage image, string reference)
        {
            string repository = Naming.SplitReference(reference).Repository;
            var untags = new List<string> { reference };
            bool repositoryKeepsATag = image.RepoTags.Any(t => t != reference && Naming.SplitReference(t).Repository == repository);
            if (!reference.Contains("@") && !repositoryKeepsATag)
            {
                untags.AddRange(image.RepoDigests.Where(d => Naming.SplitReference(d).Repository == repository));
            }

            bool anyLeft = image.RepoTags.Concat(image.RepoDigests).Any(r => !untags.Contains(r));
            return new ReferenceRemovalPlan(untags, !anyLeft);
        }
    }

    /// <summary>Image calls, in DockerPS's own terms.</summary>
    internal static partial class ImageClient
    {
        public static Task<IReadOnlyList<DockerImage>> ListAsync(EngineConnection c, bool all, bool dangling, CancellationToken ct) =>
            ListAsync(c, new ImageFilter { All = all, Dangling = dangling }, ct);

        public static async Task<IReadOnlyList<DockerImage>> ListAsync(EngineConnection c, ImageFilter filter, CancellationToken ct)
        {
            var list = await c.Api.Images.ListImagesAsync(new ImagesListParameters { All = filter.All, Filters = filter.ToEngineFilters() }, ct).ConfigureAwait(false);
            return list.Select(i => DockerImage.From(c.Host, i)).ToArray();
        }

        /// <summary>
        /// The rows of docker image ls: one image object per reference the filter kept, each with every reference of
        /// its image (the engine's reference filter trims the lists it returns, so those come from an unfiltered list)
        /// and the number of containers made from it.
        /// </summary>
        public static async Task<IReadOnlyList<DockerImage>> ListReferencesAsync(EngineConnection c, ImageFilter filter, CancellationToken ct)
        {
            var listed = await ListAsync(c, filter, ct).ConfigureAwait(false);
            var whole = filter.References == null || filter.References.Count == 0
                ? listed.ToDictionary(i => i.Id, StringComparer.Ordinal)
                : (await ListAsync(c, new ImageFilter { All = filter.All }, ct).ConfigureAwait(false)).ToDictionary(i => i.Id, StringComparer.Ordinal);
            var containers = await c.Api.Containers.ListContainersAsync(new ContainersListParameters { All = true }, ct).ConfigureAwait(false);
            var counts = containers.GroupBy(x => x.ImageID, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var rows = new List<DockerImage>();
            foreach (DockerImage image in listed)
            {
                DockerImage full = whole.TryGetValue(image.Id, out DockerImage? found) ? found : image;
                full.Containers = counts.TryGetValue(image.Id, out int count) ? count : 0;
                rows.AddRange(full.PerReference(image.RepoTags, image.RepoDigests));
            }

            return rows;
        }

        public static async Task<DockerImage> InspectAsync(EngineConnection c, string reference, CancellationToken ct)
        {
            var image = await c.Api.Images.InspectImageAsync(reference, ct).ConfigureAwait(false);
            return DockerImage.From(c.Host, image);
        }

        public static async Task<ImageRemoval> RemoveAsync(EngineConnection c, string reference, bool force, bool noPrune, CancellationToken ct)
        {
            var items = await c.Unbounded.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = force, NoPrune = noPrune }, ct).ConfigureAwait(false);
            var result = new ImageRemoval();
            foreach (var item in items)
            {
                if (item.TryGetValue("Untagged", out string? untagged))
                {
                    result.Untagged.Add(untagged);
                }

                if (item.TryGetValue("Deleted", out string? deleted))
                {
                    result.Deleted.Add(deleted);
                }
            }

            return result;
        }

        /// <summary>Streams the engine's archive of the images into <paramref name="destination"/>, reporting bytes copied.</summary>
        public static async Task SaveAsync(EngineConnection c, string[] references, Stream destination, Action<long> bytesCopied, CancellationToken ct)
        {
            using Stream source = await c.Unbounded.Images.SaveImagesAsync(references, ct).ConfigureAwait(false);
            await StreamCopy.CopyAsync(source, destination, bytesCopied, ct).ConfigureAwait(false);
        }

        /// <summary>Sends an archive to the engine's load endpoint; an error inside the reply stream is thrown.</summary>
        public static async Task LoadAsync(EngineConnection c, Stream archive, string target, Action<string> status, CancellationToken ct)
        {
            var errors = new List<string>();
            var progress = new MessageCollector(errors, status);
            try
            {
                using (ct.Register(archive.Dispose))
                {
                    await c.Unbounded.Images.LoadImageAsync(new ImageLoadParameters { Quiet = false }, archive, progress, ct).ConfigureAwait(false);
                }
            }
            catch (DockerApiException ex) when ((int)ex.StatusCode >= 400 && (int)ex.StatusCode < 600 && ex.StatusCode != System.Net.HttpStatusCode.Unauthorized)
            {
                errors.Add(EngineAnswer.Message(ex));
            }

            if (errors.Count > 0)
            {
                throw new ImageStreamException(ImageStreamFault.LoadFailed, target, errors);
            }
        }

        /// <summary>Creates an image from a filesystem tarball (a stream, or a URL the engine fetches); returns the new image id.</summary>
        public static async Task<string> ImportAsync(EngineConnection c, Stream? tarball, string? sourceUrl, string? repository, string? tag,
            IList<string>? changes, string? message, string target, Action<string> status, CancellationToken ct)
        {
            var errors = new List<string>();
            string? id = null;
            var progress = new MessageCollector(errors, s =>
            {
                if (s.StartsWith("sha256:", StringComparison.Ordinal))
                {
                    id = s.Trim();
                }
                else
                {
                    status(s);
                }
            });
            var parameters = new ImagesCreateParameters
            {
                FromSrc = sourceUrl ?? "-",
                Repo = repository!,
                Tag = tag!,
                Changes = changes!,
                Message = message!,
            };
            try
            {
                if (tarball != null)
                {
                    using (ct.Register(tarball.Dispose))
                    {
                        await c.Unbounded.Images.CreateImageAsync(parameters, tarball, null, progress, ct).ConfigureAwait(false);
                    }
                }
                else
                {
                    await c.Unbounded.Images.CreateImageAsync(parameters, null, progress, ct).ConfigureAwait(false);
                }
            }
            catch (DockerApiException ex) when ((int)ex.StatusCode >= 400 && (int)ex.StatusCode < 600 && ex.StatusCode != System.Net.HttpStatusCode.Unauthorized)
            {
                // The engine refuses bad tarballs with an HTTP error rather than inside the stream.
                errors.Add(EngineAnswer.Message(ex));
            }

            if (errors.Count > 0 || id == null)
            {
                throw new ImageStreamException(errors.Count > 0 ? ImageStreamFault.ImportFailed : ImageStreamFault.ImportNoImage, target, errors);
            }

            return id;
        }

        /// <summary>Collects errors and status lines from the engine's JSON message stream.</summary>
        private sealed class MessageCollector : IProgress<JSONMessage>
        {
            private readonly List<string> errors;
            private readonly Action<string> status;

            public MessageCollector(List<string> errors, Action<string> status)
            {
                this.errors = errors;
                this.status = status;
            }

            public void Report(JSONMessage value)
            {
                if (value.Error != null && !string.IsNullOrEmpty(value.Error.Message))
                {
                    lock (errors)
                    {
                        errors.Add(value.Error.Message!.Trim());
                    }

                    return;
                }

                string? text = !string.IsNullOrWhiteSpace(value.Status) ? value.Status : value.Stream;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    status(text!.Trim());
                }
            }
        }
    }

    /// <summary>Async copying that ends when the token fires, even on streams whose reads ignore tokens.</summary>
    internal static class StreamCopy
    {
        private const int BufferSize = 1 << 17;

        /// <summary>
        /// Copies the engine's stream to the destination. A failed read (not Ctrl+C) is an
        /// <see cref="EngineStreamBrokenException"/>, so that it is never taken for a failed write.
        /// </summary>
        public static async Task CopyAsync(Stream source, Stream destination, Action<long> bytesCopied, CancellationToken ct)
        {
            var buffer = new byte[BufferSize];
            long total = 0;
            using (ct.Register(source.Dispose))
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                    }
                    catch (Exception) when (ct.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(ct);
                    }
                    catch (Exception ex) when (ex is IOException || ex is HttpRequestException || ex is SocketException)
                    {
                        throw new EngineStreamBrokenException(total, ex);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    await destination.WriteAsync(buffer, 0, read, ct).ConfigureAwait(false);
                    total += read;
                    bytesCopied(total);
                }
            }
        }
    }
}
