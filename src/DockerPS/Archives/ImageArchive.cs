using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using DockerPS.Errors;

namespace DockerPS.Archives
{
    /// <summary>One image an archive says it holds: its config digest (the image id) and tags.</summary>
    internal sealed class ArchivedImage
    {
        public ArchivedImage(string id, IReadOnlyList<string> repoTags)
        {
            Id = id;
            RepoTags = repoTags;
        }

        public string Id { get; }

        public IReadOnlyList<string> RepoTags { get; }
    }

    /// <summary>Reads what an image archive (docker save format, plain or gzip) holds, without the engine.</summary>
    internal static class ImageArchive
    {
        private const long MaxManifest = 64 * 1024 * 1024;

        public static bool IsGzip(string path)
        {
            using var file = File.OpenRead(path);
            return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        }

        /// <summary>
        /// The images listed in the archive's manifest.json; an error when the file is no image archive. The scan reads
        /// the whole file when the manifest comes last, so it stops when <paramref name="ct"/> fires.
        /// </summary>
        public static IReadOnlyList<ArchivedImage> ReadManifest(string path, CancellationToken ct)
        {
            byte[]? manifest;
            try
            {
                using Stream file = File.OpenRead(path);
                using Stream tar = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
                manifest = FindEntry(tar, "manifest.json", ct);
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is EndOfStreamException || ex is FormatException)
            {
                throw NotAnArchive(path, $"it is damaged or not a tar archive ({ex.Message})");
            }

            if (manifest == null)
            {
                throw NotAnArchive(path, "it has no manifest.json: it is not a whole image archive");
            }

            var images = new List<ArchivedImage>();
            try
            {
                using var doc = JsonDocument.Parse(manifest);
                foreach (JsonElement entry in doc.RootElement.EnumerateArray())
                {
                    string config = entry.GetProperty("Config").GetString() ?? string.Empty;
                    var tags = new List<string>();
                    if (entry.TryGetProperty("RepoTags", out JsonElement repoTags) && repoTags.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement t in repoTags.EnumerateArray())
                        {
                            tags.Add(t.GetString() ?? string.Empty);
                        }
                    }

                    images.Add(new ArchivedImage(ConfigToId(config), tags));
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is KeyNotFoundException)
            {
                throw NotAnArchive(path, $"its manifest.json cannot be read ({ex.Message})");
            }

            if (images.Count == 0)
            {
                throw NotAnArchive(path, "its manifest.json lists no image");
            }

            return images;
        }

        /// <summary>"blobs/sha256/abc" (OCI layout) or "abc.json" (classic) to "sha256:abc".</summary>
        private static string ConfigToId(string config)
        {
            string name = config.Replace('\\', '/');
            int slash = name.LastIndexOf('/');
            string digest = slash >= 0 ? name.Substring(slash + 1) : name;
            if (digest.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                digest = digest.Substring(0, digest.Length - 5);
            }

            return "sha256:" + digest;
        }

        private static DockerPSException NotAnArchive(string path, string why) =>
            new DockerPSException(ErrorIds.ImageLoadFailed, ErrorCategory.InvalidData, path,
                $"'{path}' cannot be loaded: {why}. Use a file written by Save-DockerImage or docker save; for a filesystem tarball use -FileSystemPath.");

        /// <summary>The content of the named file entry, or null when the archive has none.</summary>
        private static byte[]? FindEntry(Stream tar, string wanted, CancellationToken ct)
        {
            // Waited on here: the file is local, and the reader's awaits never need this thread to go on.
            var reader = new TarReader(tar, ct);
            for (TarEntry? entry = reader.NextAsync().GetAwaiter().GetResult(); entry != null; entry = reader.NextAsync().GetAwaiter().GetResult())
            {
                if (entry.Type == TarEntryType.File && string.Equals(entry.Name.TrimStart('.', '/'), wanted, StringComparison.Ordinal))
                {
                    return reader.ReadAllAsync(MaxManifest).GetAwaiter().GetResult();
                }
            }

            return null;
        }
    }
}
