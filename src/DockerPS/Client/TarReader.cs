using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DockerPS.Client
{
    /// <summary>One entry of a tar archive, with long names (GNU and pax) already applied.</summary>
    internal sealed class TarEntry
    {
        public TarEntry(string name, char type, long size, string linkName, int mode, long uid, long gid)
        {
            Name = name;
            Type = type;
            Size = size;
            LinkName = linkName;
            Mode = mode;
            Uid = uid;
            Gid = gid;
        }

        public string Name { get; }

        /// <summary>The tar type flag: '0' file, '1' hard link, '2' symbolic link, '5' directory…</summary>
        public char Type { get; }

        public long Size { get; }

        public string LinkName { get; }

        public int Mode { get; }

        public long Uid { get; }

        public long Gid { get; }

        public bool IsDirectory => Type == '5';

        public bool IsFile => Type == '0' || Type == '\0' || Type == '7';

        public bool IsHardLink => Type == '1';
    }

    /// <summary>
    /// Walks the entries of a tar stream (ustar, GNU and pax), reading asynchronously so that a closed stream ends it.
    /// Damage, a stream that is not tar, and an archive cut short before its end marker are InvalidDataException.
    /// </summary>
    internal sealed class TarReader
    {
        private const int BlockSize = 512;
        private const long MetadataLimit = 64 * 1024 * 1024;

        private readonly Stream stream;
        private readonly byte[] header = new byte[BlockSize];
        private long unread;
        private long padding;

        public TarReader(Stream stream) => this.stream = stream;

        /// <summary>The next entry; null at the archive's end marker. The previous entry's data is skipped.</summary>
        public async Task<TarEntry?> NextAsync(CancellationToken ct)
        {
            await SkipAsync(unread + padding, ct).ConfigureAwait(false);
            unread = padding = 0;
            string? longName = null;
            string? longLink = null;
            long? paxSize = null;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (!await ReadFullyAsync(header, BlockSize, ct).ConfigureAwait(false))
                {
                    throw new InvalidDataException("it ends before the tar end-of-archive marker (truncated, or not a tar archive)");
                }

                if (IsZeroBlock(header))
                {
                    return null;
                }

                if (!ChecksumMatches(header))
                {
                    throw new InvalidDataException("a tar header checksum does not match (damaged, or not a tar archive)");
                }

                long size = ParseNumber(header, 124, 12);
                char type = (char)header[156];
                if (type == 'L' || type == 'K' || type == 'x' || type == 'g')
                {
                    byte[] data = await ReadMetadataAsync(size, ct).ConfigureAwait(false);
                    switch (type)
                    {
                        case 'L':
                            longName = Encoding.UTF8.GetString(data).TrimEnd('\0');
                            break;
                        case 'K':
                            longLink = Encoding.UTF8.GetString(data).TrimEnd('\0');
                            break;
                        case 'x':
                            longName = PaxValue(data, "path") ?? longName;
                            longLink = PaxValue(data, "linkpath") ?? longLink;
                            string? paxSizeText = PaxValue(data, "size");
                            paxSize = paxSizeText != null && long.TryParse(paxSizeText, out long parsed) ? parsed : paxSize;
                            break;
                    }

                    continue;
                }

                long entrySize = paxSize ?? size;
                var entry = new TarEntry(
                    longName ?? HeaderName(header),
                    type,
                    entrySize,
                    longLink ?? Text(header, 157, 100),
                    (int)ParseNumber(header, 100, 8),
                    ParseNumber(header, 108, 8),
                    ParseNumber(header, 116, 8));

                // Links and directories carry no data whatever their size field says.
                unread = entry.IsFile || type == 'S' ? entrySize : 0;
                padding = Padded(unread) - unread;
                return entry;
            }
        }

        /// <summary>The current entry's data, for small entries such as a manifest.</summary>
        public async Task<byte[]> ReadDataAsync(CancellationToken ct)
        {
            byte[] data = await ReadMetadataAsync(unread, ct).ConfigureAwait(false);
            unread = padding = 0;
            return data;
        }

        private async Task<byte[]> ReadMetadataAsync(long size, CancellationToken ct)
        {
            if (size < 0 || size > MetadataLimit)
            {
                throw new InvalidDataException("a tar metadata entry is implausibly large");
            }

            var data = new byte[size];
            if (!await ReadFullyAsync(data, (int)size, ct).ConfigureAwait(false))
            {
                throw new InvalidDataException("it ends inside an entry (truncated)");
            }

            await SkipAsync(Padded(size) - size, ct).ConfigureAwait(false);
            return data;
        }

        private async Task SkipAsync(long count, CancellationToken ct)
        {
            if (count == 0)
            {
                return;
            }

            if (stream.CanSeek)
            {
                if (stream.Position + count > stream.Length)
                {
                    throw new InvalidDataException("it ends inside an entry (truncated)");
                }

                stream.Seek(count, SeekOrigin.Current);
                return;
            }

            var buffer = new byte[1 << 16];
            while (count > 0)
            {
                ct.ThrowIfCancellationRequested();
                int read = await stream.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, count), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new InvalidDataException("it ends inside an entry (truncated)");
                }

                count -= read;
            }
        }

        private async Task<bool> ReadFullyAsync(byte[] buffer, int count, CancellationToken ct)
        {
            int total = 0;
            while (total < count)
            {
                int read = await stream.ReadAsync(buffer, total, count - total, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    return false;
                }

                total += read;
            }

            return true;
        }

        private static string HeaderName(byte[] block)
        {
            string name = Text(block, 0, 100);
            string prefix = Text(block, 345, 155);
            bool ustar = Text(block, 257, 5) == "ustar";
            return ustar && prefix.Length > 0 ? prefix + "/" + name : name;
        }

        /// <summary>A value from pax records ("LEN key=value\n").</summary>
        private static string? PaxValue(byte[] data, string key)
        {
            string? found = null;
            foreach (string record in Encoding.UTF8.GetString(data).Split('\n'))
            {
                int space = record.IndexOf(' ');
                int eq = record.IndexOf('=');
                if (space > 0 && eq > space && string.Equals(record.Substring(space + 1, eq - space - 1), key, StringComparison.Ordinal))
                {
                    found = record.Substring(eq + 1);
                }
            }

            return found;
        }

        private static string Text(byte[] b, int offset, int length)
        {
            int end = offset;
            while (end < offset + length && b[end] != 0)
            {
                end++;
            }

            return Encoding.UTF8.GetString(b, offset, end - offset);
        }

        /// <summary>An octal field, or a base-256 one (GNU) for values too large for octal.</summary>
        private static long ParseNumber(byte[] b, int offset, int length)
        {
            if ((b[offset] & 0x80) != 0)
            {
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
                    throw new InvalidDataException("a tar header field is not octal (damaged, or not a tar archive)");
                }

                value = (value * 8) + (c - '0');
            }

            return value;
        }

        private static bool ChecksumMatches(byte[] block)
        {
            long stored = ParseNumber(block, 148, 8);
            long sum = 0;
            for (int i = 0; i < BlockSize; i++)
            {
                sum += i >= 148 && i < 156 ? (byte)' ' : block[i];
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
    }
}
