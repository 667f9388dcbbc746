using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using DockerPS.Errors;

namespace DockerPS.Client
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
        private const int BlockSize = 512;

        public static bool IsGzip(string path)
        {
            using var file = File.OpenRead(path);
            return file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        }

        /// <summary>The images listed in the archive's manifest.json; an error when the file is no image archive.</summary>
        public static IReadOnlyList<ArchivedImage> ReadManifest(string path)
        {
            byte[]? manifest;
            try
            {
                using Stream file = File.OpenRead(path);
                using Stream tar = IsGzip(path) ? new GZipStream(file, CompressionMode.Decompress) : file;
                manifest = FindEntry(tar, "manifest.json");
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

        /// <summary>Walks tar headers, skipping contents, until the named entry.</summary>
        private static byte[]? FindEntry(Stream tar, string wanted)
        {
            var header = new byte[BlockSize];
            string? longName = null;
            while (true)
            {
                if (!ReadFully(tar, header, BlockSize))
                {
                    throw new EndOfStreamException("the archive ends inside a header");
                }

                if (IsZeroBlock(header))
                {
                    return null;
                }

                if (!ChecksumMatches(header))
                {
                    throw new InvalidDataException("a tar header checksum does not match");
                }

                long size = ParseOctal(header, 124, 12);
                char type = (char)header[156];
                string name = longName ?? HeaderName(header);
                longName = null;

                if (type == 'L' || type == 'x')
                {
                    byte[] data = ReadBytes(tar, size);
                    longName = type == 'L' ? Encoding.UTF8.GetString(data).TrimEnd('\0') : PaxPath(data);
                    continue;
                }

                if ((type == '0' || type == '\0') && string.Equals(name.TrimStart('.', '/'), wanted, StringComparison.Ordinal))
                {
                    return ReadBytes(tar, size);
                }

                Skip(tar, Padded(size));
            }
        }

        private static string HeaderName(byte[] header)
        {
            string name = Ascii(header, 0, 100);
            string prefix = Ascii(header, 345, 155);
            bool ustar = Ascii(header, 257, 5) == "ustar";
            return ustar && prefix.Length > 0 ? prefix + "/" + name : name;
        }

        private static string? PaxPath(byte[] data)
        {
            foreach (string record in Encoding.UTF8.GetString(data).Split('\n'))
            {
                int eq = record.IndexOf("path=", StringComparison.Ordinal);
                if (eq > 0)
                {
                    return record.Substring(eq + 5);
                }
            }

            return null;
        }

        private static string Ascii(byte[] b, int offset, int length)
        {
            int end = offset;
            while (end < offset + length && b[end] != 0)
            {
                end++;
            }

            return Encoding.UTF8.GetString(b, offset, end - offset);
        }

        private static long ParseOctal(byte[] b, int offset, int length)
        {
            if ((b[offset] & 0x80) != 0)
            {
                // Base-256 (GNU) size for entries over 8 GiB.
                long big = 0;
                for (int i = offset + 1; i < offset + length; i++)
                {
                    big = (big << 8) | b[i];
                }

                return big;
            }

            long value = 0;
            for (int i = offset; i < offset + length; i++)
            {
                byte c = b[i];
                if (c == 0 || c == (byte)' ')
                {
                    if (value > 0)
                    {
                        break;
                    }

                    continue;
                }

                if (c < (byte)'0' || c > (byte)'7')
                {
                    throw new FormatException("a tar header field is not octal");
                }

                value = (value * 8) + (c - '0');
            }

            return value;
        }

        private static bool ChecksumMatches(byte[] header)
        {
            long stored = ParseOctal(header, 148, 8);
            long sum = 0;
            for (int i = 0; i < BlockSize; i++)
            {
                sum += i >= 148 && i < 156 ? (byte)' ' : header[i];
            }

            return sum == stored;
        }

        private static bool IsZeroBlock(byte[] block)
        {
            foreach (byte b in block)
            {
                if (b != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static long Padded(long size) => (size + BlockSize - 1) / BlockSize * BlockSize;

        private static byte[] ReadBytes(Stream s, long size)
        {
            if (size > 64 * 1024 * 1024)
            {
                throw new InvalidDataException("a metadata entry is implausibly large");
            }

            var data = new byte[size];
            if (!ReadFully(s, data, (int)size))
            {
                throw new EndOfStreamException("the archive ends inside an entry");
            }

            Skip(s, Padded(size) - size);
            return data;
        }

        private static void Skip(Stream s, long count)
        {
            if (count == 0)
            {
                return;
            }

            if (s.CanSeek)
            {
                if (s.Position + count > s.Length)
                {
                    throw new EndOfStreamException("the archive ends inside an entry");
                }

                s.Seek(count, SeekOrigin.Current);
                return;
            }

            var buffer = new byte[81920];
            while (count > 0)
            {
                int read = s.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
                if (read == 0)
                {
                    throw new EndOfStreamException("the archive ends inside an entry");
                }

                count -= read;
            }
        }

        private static bool ReadFully(Stream s, byte[] buffer, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = s.Read(buffer, total, count - total);
                if (read == 0)
                {
                    return false;
                }

                total += read;
            }

            return true;
        }
    }
}
