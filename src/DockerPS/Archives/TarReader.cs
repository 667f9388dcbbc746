using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DockerPS.Archives
{
    /// <summary>What a tar entry holds.</summary>
    internal enum TarEntryType
    {
        File,
        Directory,
        Symlink,
        HardLink,

        /// <summary>Devices, pipes and anything else that has no place in a plain copy.</summary>
        Other,
    }

    /// <summary>One entry of a tar stream, with the long name and PAX records already applied.</summary>
    internal sealed class TarEntry
    {
        public TarEntry(string name, TarEntryType type, int mode, long size, DateTime modifiedUtc, string? linkName)
        {
            Name = name;
            Type = type;
            Mode = mode;
            Size = size;
            ModifiedUtc = modifiedUtc;
            LinkName = linkName;
        }

        /// <summary>The name as the archive gives it, "/" separated; folders may end with "/".</summary>
        public string Name { get; }

        public TarEntryType Type { get; }

        /// <summary>Permission bits, with setuid, setgid and sticky (mode &amp; 07777).</summary>
        public int Mode { get; }

        /// <summary>Bytes of content that follow the header.</summary>
        public long Size { get; }

        public DateTime ModifiedUtc { get; }

        /// <summary>The target of a symbolic or hard link.</summary>
        public string? LinkName { get; }
    }

    /// <summary>
    /// Reads a tar stream entry by entry, asynchronously: ustar and old (v7) headers, GNU long names and links
    /// ('L', 'K'), PAX extended headers ('x'; global 'g' headers are read past) and base-256 numbers. A damaged
    /// stream is an <see cref="InvalidDataException"/> or, cut short, an <see cref="EndOfStreamException"/>.
    /// </summary>
    internal sealed class TarReader
    {
        private const int BlockSize = 512;

        // Long names and PAX records are small; anything bigger is a damaged or hostile archive.
        private const int MaxMetadata = 1 << 20;

        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        private readonly Stream input;
        private readonly CancellationToken ct;
        private readonly byte[] header = new byte[BlockSize];
        private readonly byte[] skipBuffer = new byte[64 * 1024];
        private long remaining;
        private long padding;

        public TarReader(Stream input, CancellationToken ct)
        {
            this.input = input;
            this.ct = ct;
        }

        /// <summary>The next entry, or null at the end of the archive; what is left of the current one is skipped.</summary>
        public async Task<TarEntry?> NextAsync()
        {
            await SkipAsync(remaining + padding).ConfigureAwait(false);
            remaining = padding = 0;

            string? longName = null;
            string? longLink = null;
            string? paxPath = null;
            string? paxLink = null;
            long? paxSize = null;
            DateTime? paxTime = null;
            while (true)
            {
                // A stream that ends between entries, without the end blocks, ends the archive as well.
                if (!await ReadHeaderAsync().ConfigureAwait(false) || IsZeroBlock(header))
                {
                    return null;
                }

                if (!ChecksumMatches(header))
                {
                    throw new InvalidDataException("a tar header checksum does not match");
                }

                char type = (char)header[156];
                long size = ParseNumber(header, 124, 12);
                switch (type)
                {
                    case 'L':
                        longName = CString(await ReadMetadataAsync(size).ConfigureAwait(false));
                        continue;
                    case 'K':
                        longLink = CString(await ReadMetadataAsync(size).ConfigureAwait(false));
                        continue;
                    case 'x':
                        ApplyPax(await ReadMetadataAsync(size).ConfigureAwait(false), ref paxPath, ref paxLink, ref paxSize, ref paxTime);
                        continue;
                    case 'g':
                        await SkipAsync(Padded(size)).ConfigureAwait(false);
                        continue;
                }

                string name = paxPath ?? longName ?? HeaderName(header);
                string link = paxLink ?? longLink ?? Field(header, 157, 100);
                long entrySize = paxSize ?? size;
                DateTime modified = paxTime ?? Epoch.AddSeconds(ParseNumber(header, 136, 12));
                int mode = (int)(ParseNumber(header, 100, 8) & 0xFFF);
                TarEntryType kind = Kind(type, name);

                // Links, devices, folders and pipes are header-only, whatever size they claim.
                bool hasContent = type < '1' || type > '6';
                remaining = hasContent ? entrySize : 0;
                padding = hasContent ? Padded(entrySize) - entrySize : 0;
                return new TarEntry(name, kind, mode, hasContent ? entrySize : 0, modified,
                    kind == TarEntryType.Symlink || kind == TarEntryType.HardLink ? link : null);
            }
        }

        /// <summary>Reads the current entry's content; 0 at its end.</summary>
        public async Task<int> ReadAsync(byte[] buffer, int offset, int count)
        {
            if (remaining == 0)
            {
                return 0;
            }

            int read = await input.ReadAsync(buffer, offset, (int)Math.Min(count, remaining), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException("the archive ends inside an entry");
            }

            remaining -= read;
            return read;
        }

        /// <summary>The whole content of the current entry, for small entries such as manifests.</summary>
        public async Task<byte[]> ReadAllAsync(long limit)
        {
            if (remaining > limit)
            {
                throw new InvalidDataException("an entry is implausibly large");
            }

            var data = new byte[remaining];
            int offset = 0;
            while (offset < data.Length)
            {
                offset += await ReadAsync(data, offset, data.Length - offset).ConfigureAwait(false);
            }

            return data;
        }

        private static TarEntryType Kind(char type, string name)
        {
            switch (type)
            {
                case '0':
                case '\0':
                case '7':
                    // Old (v7) archives mark folders only by the trailing slash.
                    return name.EndsWith("/", StringComparison.Ordinal) ? TarEntryType.Directory : TarEntryType.File;
                case '1':
                    return TarEntryType.HardLink;
                case '2':
                    return TarEntryType.Symlink;
                case '5':
                    return TarEntryType.Directory;
                default:
                    return TarEntryType.Other;
            }
        }

        /// <summary>"length key=value\n" records; the length counts the whole record.</summary>
        private static void ApplyPax(byte[] data, ref string? path, ref string? link, ref long? size, ref DateTime? time)
        {
            int at = 0;
            while (at < data.Length)
            {
                int space = Array.IndexOf(data, (byte)' ', at);
                if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, at, space - at), NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                    || length <= space - at || at + length > data.Length || data[at + length - 1] != (byte)'\n')
                {
                    throw new InvalidDataException("a PAX extended header is malformed");
                }

                string record = Encoding.UTF8.GetString(data, space + 1, at + length - space - 2);
                at += length;
                int eq = record.IndexOf('=');
                if (eq <= 0)
                {
                    throw new InvalidDataException("a PAX extended header is malformed");
                }

                string value = record.Substring(eq + 1);
                switch (record.Substring(0, eq))
                {
                    case "path":
                        path = value;
                        break;
                    case "linkpath":
                        link = value;
                        break;
                    case "size":
                        size = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s
                            : throw new InvalidDataException("a PAX size is not a number");
                        break;
                    case "mtime":
                        time = decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal t)
                            ? Epoch.AddTicks((long)(t * TimeSpan.TicksPerSecond))
                            : throw new InvalidDataException("a PAX mtime is not a number");
                        break;
                }
            }
        }

        private static string HeaderName(byte[] block)
        {
            string name = Field(block, 0, 100);

            // POSIX ustar ("ustar\0") splits long names into a prefix; the GNU magic ("ustar ") uses that space otherwise.
            bool posix = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a' && block[261] == 'r' && block[262] == 0;
            string prefix = posix ? Field(block, 345, 155) : string.Empty;
            return prefix.Length > 0 ? prefix + "/" + name : name;
        }

        private static string Field(byte[] block, int offset, int length)
        {
            int end = offset;
            while (end < offset + length && block[end] != 0)
            {
                end++;
            }

            return Encoding.UTF8.GetString(block, offset, end - offset);
        }

        private static string CString(byte[] data)
        {
            int end = Array.IndexOf(data, (byte)0);
            return Encoding.UTF8.GetString(data, 0, end < 0 ? data.Length : end);
        }

        /// <summary>An octal field (spaces and NULs around the digits), or GNU base-256 when the top bit is set.</summary>
        private static long ParseNumber(byte[] block, int offset, int length)
        {
            if ((block[offset] & 0x80) != 0)
            {
                if ((block[offset] & 0x40) != 0)
                {
                    throw new InvalidDataException("a tar header holds a negative number");
                }

                long big = block[offset] & 0x3F;
                for (int i = offset + 1; i < offset + length; i++)
                {
                    if (big > (long.MaxValue >> 8))
                    {
                        throw new InvalidDataException("a tar header number is too large");
                    }

                    big = (big << 8) | block[i];
                }

                return big;
            }

            long value = 0;
            bool digits = false;
            for (int i = offset; i < offset + length; i++)
            {
                byte c = block[i];
                if (c == 0 || c == (byte)' ')
                {
                    if (digits)
                    {
                        break;
                    }

                    continue;
                }

                if (c < (byte)'0' || c > (byte)'7')
                {
                    throw new InvalidDataException("a tar header field is not octal");
                }

                digits = true;
                value = (value * 8) + (c - '0');
            }

            return value;
        }

        /// <summary>The stored sum against both the unsigned sum and the signed one some old writers used.</summary>
        private static bool ChecksumMatches(byte[] block)
        {
            long stored = ParseNumber(block, 148, 8);
            long unsigned = 0;
            long signed = 0;
            for (int i = 0; i < BlockSize; i++)
            {
                byte b = i >= 148 && i < 156 ? (byte)' ' : block[i];
                unsigned += b;
                signed += (sbyte)b;
            }

            return stored == unsigned || stored == signed;
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

        private async Task<byte[]> ReadMetadataAsync(long size)
        {
            if (size < 0 || size > MaxMetadata)
            {
                throw new InvalidDataException("a tar metadata entry is implausibly large");
            }

            var data = new byte[size];
            if (!await ReadFullyAsync(data, 0, (int)size).ConfigureAwait(false))
            {
                throw new EndOfStreamException("the archive ends inside an entry");
            }

            await SkipAsync(Padded(size) - size).ConfigureAwait(false);
            return data;
        }

        private async Task SkipAsync(long count)
        {
            // A file is skipped by seeking: reading past a 500 MiB layer to reach manifest.json cost as much as a second read of the archive.
            if (count > 0 && input.CanSeek)
            {
                if (input.Position + count > input.Length)
                {
                    throw new EndOfStreamException("the archive ends inside an entry");
                }

                input.Seek(count, SeekOrigin.Current);
                return;
            }

            while (count > 0)
            {
                int read = await input.ReadAsync(skipBuffer, 0, (int)Math.Min(skipBuffer.Length, count), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("the archive ends inside an entry");
                }

                count -= read;
            }
        }

        /// <summary>Reads a header block; false when the stream ended exactly before it.</summary>
        private async Task<bool> ReadHeaderAsync()
        {
            int first = await input.ReadAsync(header, 0, BlockSize, ct).ConfigureAwait(false);
            if (first == 0)
            {
                return false;
            }

            if (first < BlockSize && !await ReadFullyAsync(header, first, BlockSize - first).ConfigureAwait(false))
            {
                throw new EndOfStreamException("the archive ends inside a header");
            }

            return true;
        }

        private async Task<bool> ReadFullyAsync(byte[] buffer, int offset, int count)
        {
            int end = offset + count;
            while (offset < end)
            {
                int read = await input.ReadAsync(buffer, offset, end - offset, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }

                offset += read;
            }

            return true;
        }
    }
}
