using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DockerPS.Archives
{
    /// <summary>What a local file system entry is, as a tar sees it.</summary>
    internal enum LocalEntryKind
    {
        Regular,
        Directory,
        Symlink,
        Fifo,
        Other,
    }

    /// <summary>What a tree walk does with one entry.</summary>
    internal enum TarChoice
    {
        /// <summary>Write the entry (and, for a folder, what it holds).</summary>
        Add,

        /// <summary>Leave it out, with everything below it.</summary>
        Skip,

        /// <summary>Leave the folder's own entry out but look inside it.</summary>
        EnterOnly,
    }

    /// <summary>
    /// Writes ustar entries, with a PAX extended header in front of any whose name, link target, size or time
    /// does not fit the ustar fields. Everything goes through one block buffer so the output sees large writes.
    /// Local files, folders and links go in with their permission bits, and owner 0:0 or their own owner (as asked).
    /// </summary>
    internal sealed class TarWriter
    {
        private const int BlockSize = 512;
        private const long MaxOctal11 = 8589934591; // 077777777777: the largest value an 11-digit octal field holds.
        private const long MaxOctal7 = 2097151; // 07777777: the largest owner id a ustar field holds.
        private const int TypeMask = 0xF000;
        private const int TypeFifo = 0x1000;
        private const int TypeDirectory = 0x4000;
        private const int TypeRegular = 0x8000;
        private const int TypeSymlink = 0xA000;
        private const int Mode777 = 511; // 0777
        private const int Mode755 = 493; // 0755
        private const int Mode644 = 420; // 0644
        private const int Mode555 = 365; // 0555

        private static readonly bool OnWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        // Both exist only on newer runtimes (.NET 6 and .NET 7); the module also runs where they are missing.
        private static readonly PropertyInfo? LinkTargetProperty = typeof(FileSystemInfo).GetProperty("LinkTarget", typeof(string));
        private static readonly MethodInfo? GetUnixFileModeMethod = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });

        // Cleared the first time the runtime's native stat is missing, so it is not tried for every file.
        private static volatile bool nativeStatUsable = true;

        private readonly Stream output;
        private readonly Action<long>? progress;
        private readonly CancellationToken ct;
        private readonly bool keepOwners;
        private readonly byte[] header = new byte[BlockSize];
        private readonly byte[] buffer = new byte[64 * 1024];
        private int used;

        /// <summary>
        /// <paramref name="keepOwners"/>: entries carry their local owner's uid and gid (Unix), as docker cp sends them;
        /// otherwise 0:0, as docker build sends its context.
        /// </summary>
        public TarWriter(Stream output, Action<long>? progress, CancellationToken ct, bool keepOwners = false)
        {
            this.output = output;
            this.progress = progress;
            this.ct = ct;
            this.keepOwners = keepOwners;
        }

        public long Total { get; private set; }

        /// <summary>
        /// Adds a local entry under the given tar name: a folder with everything below it, a symbolic link as a link
        /// (never followed), a file with its bytes. Sockets and devices are left out, as the docker CLI does.
        /// </summary>
        public Task AddAsync(FileSystemInfo entry, string name) => AddAsync(entry, name, null);

        /// <summary>
        /// Adds what the folder holds, in sorted order, with names under the prefix ("" for none). The chooser, when
        /// given, decides for each entry below (its full path, its tar name, what it is).
        /// </summary>
        public async Task AddChildrenAsync(DirectoryInfo folder, string prefix, Func<FileSystemInfo, string, LocalEntryKind, TarChoice>? choose)
        {
            var entries = new List<FileSystemInfo>(folder.EnumerateFileSystemInfos());
            entries.Sort((a, b) => CompareNames(a.Name, b.Name));
            foreach (FileSystemInfo entry in entries)
            {
                ct.ThrowIfCancellationRequested();
                await AddAsync(entry, prefix.Length == 0 ? entry.Name : prefix + "/" + entry.Name, choose).ConfigureAwait(false);
            }
        }

        private async Task WriteHeaderAsync(string name, char type, int mode, long size, long mtime, string? linkName, long uid = 0, long gid = 0)
        {
            var pax = new List<KeyValuePair<string, string>>();
            bool bigUid = uid > MaxOctal7;
            bool bigGid = gid > MaxOctal7;
            bool longLink = linkName != null && !FitsUstar(linkName, 100);
            bool longName = !FitsUstar(name, 100);
            bool bigSize = size > MaxOctal11;
            bool oddTime = mtime < 0 || mtime > MaxOctal11;

            // Records in key order, as other writers emit them.
            if (bigGid)
            {
                pax.Add(new KeyValuePair<string, string>("gid", gid.ToString(CultureInfo.InvariantCulture)));
            }

            if (longLink)
            {
                pax.Add(new KeyValuePair<string, string>("linkpath", linkName!));
            }

            if (oddTime)
            {
                pax.Add(new KeyValuePair<string, string>("mtime", mtime.ToString(CultureInfo.InvariantCulture)));
            }

            if (longName)
            {
                pax.Add(new KeyValuePair<string, string>("path", name));
            }

            if (bigSize)
            {
                pax.Add(new KeyValuePair<string, string>("size", size.ToString(CultureInfo.InvariantCulture)));
            }

            if (bigUid)
            {
                pax.Add(new KeyValuePair<string, string>("uid", uid.ToString(CultureInfo.InvariantCulture)));
            }

            if (pax.Count > 0)
            {
                byte[] data = PaxData(pax);
                FillHeader(PaxHeaderName(name), 'x', Mode644, data.Length, oddTime ? 0 : mtime, null, 0, 0);
                await AppendAsync(header, 0, BlockSize).ConfigureAwait(false);
                await AppendAsync(data, 0, data.Length).ConfigureAwait(false);
                await PadAsync(data.Length).ConfigureAwait(false);
            }

            FillHeader(
                longName ? AsciiFallback(name) : name,
                type,
                mode,
                bigSize ? 0 : size,
                oddTime ? 0 : mtime,
                linkName == null ? null : longLink ? AsciiFallback(linkName) : linkName,
                bigUid ? 0 : uid,
                bigGid ? 0 : gid);
            await AppendAsync(header, 0, BlockSize).ConfigureAwait(false);
        }

        /// <summary>Copies exactly size bytes of the file, in chunks, then pads to the block size.</summary>
        private async Task WriteContentAsync(Stream source, long size, string path)
        {
            long remaining = size;
            while (remaining > 0)
            {
                if (used == buffer.Length)
                {
                    await FlushBufferAsync().ConfigureAwait(false);
                }

                int want = (int)Math.Min(buffer.Length - used, remaining);
                int read = await source.ReadAsync(buffer, used, want, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    // The header already promised size bytes; a shorter entry would corrupt the rest of the stream.
                    throw new IOException($"'{path}' got shorter while it was being packed; try again once nothing writes to it.");
                }

                used += read;
                remaining -= read;
            }

            // Bytes appended after the size was taken are left out: the entry is what the file held when opened.
            await PadAsync(size).ConfigureAwait(false);
        }

        /// <summary>Adds a file made here rather than read from disk, owner 0:0.</summary>
        public async Task AddBytesAsync(string name, byte[] content, int mode, DateTime modifiedUtc)
        {
            await WriteHeaderAsync(name, '0', mode, content.Length, UnixSeconds(modifiedUtc), null).ConfigureAwait(false);
            await AppendAsync(content, 0, content.Length).ConfigureAwait(false);
            await PadAsync(content.Length).ConfigureAwait(false);
        }

        public async Task FinishAsync()
        {
            Array.Clear(header, 0, BlockSize);
            await AppendAsync(header, 0, BlockSize).ConfigureAwait(false);
            await AppendAsync(header, 0, BlockSize).ConfigureAwait(false);
            await FlushBufferAsync().ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
        }

        private async Task AddAsync(FileSystemInfo entry, string name, Func<FileSystemInfo, string, LocalEntryKind, TarChoice>? choose)
        {
            (LocalEntryKind kind, int mode, string? target, long entryUid, long entryGid) = Inspect(entry);
            long uid = keepOwners ? entryUid : 0;
            long gid = keepOwners ? entryGid : 0;
            TarChoice choice = choose?.Invoke(entry, name, kind) ?? TarChoice.Add;
            if (choice == TarChoice.Skip)
            {
                return;
            }

            if (choice == TarChoice.EnterOnly)
            {
                if (kind == LocalEntryKind.Directory)
                {
                    await AddChildrenAsync((DirectoryInfo)entry, name, choose).ConfigureAwait(false);
                }

                return;
            }

            long mtime = UnixSeconds(entry.LastWriteTimeUtc);
            switch (kind)
            {
                case LocalEntryKind.Directory:
                    await WriteHeaderAsync(name + "/", '5', mode, 0, mtime, null, uid, gid).ConfigureAwait(false);
                    await AddChildrenAsync(entry as DirectoryInfo ?? new DirectoryInfo(entry.FullName), name, choose).ConfigureAwait(false);
                    break;
                case LocalEntryKind.Symlink:
                    await WriteHeaderAsync(name, '2', mode, 0, mtime, target, uid, gid).ConfigureAwait(false);
                    break;
                case LocalEntryKind.Regular:
                    await AddFileAsync(entry, name, mode, mtime, uid, gid).ConfigureAwait(false);
                    break;
                case LocalEntryKind.Fifo:
                    await WriteHeaderAsync(name, '6', mode, 0, mtime, null, uid, gid).ConfigureAwait(false);
                    break;
                default:
                    break;
            }
        }

        private async Task AddFileAsync(FileSystemInfo entry, string name, int mode, long mtime, long uid, long gid)
        {
            // Opened before its header is written, so an unreadable file fails before leaving half an entry.
            using var source = new FileStream(entry.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            long size = source.Length;
            await WriteHeaderAsync(name, '0', mode, size, mtime, null, uid, gid).ConfigureAwait(false);
            await WriteContentAsync(source, size, entry.FullName).ConfigureAwait(false);
        }

        private static bool FitsUstar(string value, int field)
        {
            if (value.Length > field)
            {
                return false;
            }

            foreach (char c in value)
            {
                if (c == 0 || c > 0x7F)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>What readers that ignore PAX see: the name without non-ASCII characters, cut to the field.</summary>
        private static string AsciiFallback(string value)
        {
            var sb = new StringBuilder(Math.Min(value.Length, 100));
            foreach (char c in value)
            {
                if (sb.Length == 100)
                {
                    break;
                }

                if (c > 0 && c <= 0x7F)
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        private static string PaxHeaderName(string name)
        {
            string trimmed = name.TrimEnd('/');
            int slash = trimmed.LastIndexOf('/');
            string dir = slash >= 0 ? trimmed.Substring(0, slash + 1) : string.Empty;
            string file = slash >= 0 ? trimmed.Substring(slash + 1) : trimmed;
            return AsciiFallback(dir + "PaxHeaders.0/" + file);
        }

        /// <summary>"length key=value\n" records, where length counts the whole record including its own digits.</summary>
        private static byte[] PaxData(List<KeyValuePair<string, string>> records)
        {
            var all = new List<byte>();
            foreach (KeyValuePair<string, string> record in records)
            {
                byte[] body = Encoding.UTF8.GetBytes(" " + record.Key + "=" + record.Value + "\n");
                int length = body.Length + 1;
                while (length != body.Length + length.ToString(CultureInfo.InvariantCulture).Length)
                {
                    length = body.Length + length.ToString(CultureInfo.InvariantCulture).Length;
                }

                all.AddRange(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture)));
                all.AddRange(body);
            }

            return all.ToArray();
        }

        private void FillHeader(string name, char type, int mode, long size, long mtime, string? linkName, long uid, long gid)
        {
            Array.Clear(header, 0, BlockSize);
            PutAscii(0, 100, name);
            PutOctal(100, 8, mode);
            PutOctal(108, 8, uid);
            PutOctal(116, 8, gid);
            PutOctal(124, 12, size);
            PutOctal(136, 12, mtime);
            header[156] = (byte)type;
            PutAscii(157, 100, linkName ?? string.Empty);
            PutAscii(257, 6, "ustar"); // "ustar\0"
            PutAscii(263, 2, "00");
            PutOctal(329, 8, 0); // devmajor
            PutOctal(337, 8, 0); // devminor

            // The checksum is taken with its own field read as spaces, then written as six digits, NUL, space.
            for (int i = 148; i < 156; i++)
            {
                header[i] = (byte)' ';
            }

            long sum = 0;
            foreach (byte b in header)
            {
                sum += b;
            }

            PutOctal(148, 7, sum);
            header[154] = 0;
            header[155] = (byte)' ';
        }

        private void PutAscii(int offset, int length, string value)
        {
            for (int i = 0; i < value.Length && i < length; i++)
            {
                header[offset + i] = (byte)value[i];
            }
        }

        /// <summary>Zero-padded octal digits filling all but the last byte of the field, which stays NUL.</summary>
        private void PutOctal(int offset, int length, long value)
        {
            string digits = Convert.ToString(value, 8).PadLeft(length - 1, '0');
            PutAscii(offset, length - 1, digits);
        }

        private async Task PadAsync(long written)
        {
            int pad = (int)((BlockSize - (written % BlockSize)) % BlockSize);
            if (pad > 0)
            {
                Array.Clear(header, 0, BlockSize);
                await AppendAsync(header, 0, pad).ConfigureAwait(false);
            }
        }

        private async Task AppendAsync(byte[] data, int offset, int count)
        {
            while (count > 0)
            {
                if (used == buffer.Length)
                {
                    await FlushBufferAsync().ConfigureAwait(false);
                }

                int n = Math.Min(count, buffer.Length - used);
                Buffer.BlockCopy(data, offset, buffer, used, n);
                used += n;
                offset += n;
                count -= n;
            }
        }

        private async Task FlushBufferAsync()
        {
            if (used == 0)
            {
                return;
            }

            await output.WriteAsync(buffer, 0, used, ct).ConfigureAwait(false);
            Total += used;
            used = 0;
            progress?.Invoke(Total);
        }

        /// <summary>Orders names by code point, which is the byte order of their UTF-8 form (as the CLI sorts).</summary>
        private static int CompareNames(string a, string b)
        {
            int n = Math.Min(a.Length, b.Length);
            for (int i = 0; i < n; i++)
            {
                if (a[i] != b[i])
                {
                    return CodePointOrder(a[i]).CompareTo(CodePointOrder(b[i]));
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        // UTF-16 puts surrogates (code points above U+FFFF) before U+E000..U+FFFF; shifting both restores code point order.
        private static int CodePointOrder(char c) => c >= 0xD800 && c <= 0xDFFF ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;

        private static long UnixSeconds(DateTime utc) =>
            (long)Math.Floor((utc - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds);

        /// <summary>What goes into the tar for one file system entry (links are not followed); the owner is 0:0 off Unix.</summary>
        public static (LocalEntryKind Kind, int Mode, string? LinkTarget, long Uid, long Gid) Inspect(FileSystemInfo entry)
        {
            bool isDirectory = entry is DirectoryInfo;
            bool reparse = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            string? target = reparse ? LinkTargetOf(entry) : null;
            if (OnWindows)
            {
                // As the CLI does on Windows: no permission bits to read, so everything is readable and executable.
                if (target != null)
                {
                    return (LocalEntryKind.Symlink, Mode755, target, 0, 0);
                }

                bool readOnly = !isDirectory && (entry.Attributes & FileAttributes.ReadOnly) != 0;
                return (isDirectory ? LocalEntryKind.Directory : LocalEntryKind.Regular, readOnly ? Mode555 : Mode755, null, 0, 0);
            }

            if (NativeLStat(entry.FullName) is (int mode, long uid, long gid))
            {
                int permissions = mode & 0xFFF;
                switch (mode & TypeMask)
                {
                    case TypeDirectory:
                        return (LocalEntryKind.Directory, permissions, null, uid, gid);
                    case TypeRegular:
                        return (LocalEntryKind.Regular, permissions, null, uid, gid);
                    case TypeSymlink:
                        target ??= LinkTargetOf(entry);
                        if (target != null)
                        {
                            return (LocalEntryKind.Symlink, permissions, target, uid, gid);
                        }

                        // Without a way to read the target, the link is followed.
                        return (isDirectory ? LocalEntryKind.Directory : LocalEntryKind.Regular, ManagedMode(entry, isDirectory), null, uid, gid);
                    case TypeFifo:
                        // Sent as a pipe entry, never opened: reading it would block.
                        return (LocalEntryKind.Fifo, permissions, null, uid, gid);
                    default:
                        // Sockets and devices: the CLI skips sockets, and a build has no use for devices.
                        return (LocalEntryKind.Other, permissions, null, uid, gid);
                }
            }

            if (target != null)
            {
                return (LocalEntryKind.Symlink, Mode777, target, 0, 0);
            }

            return (isDirectory ? LocalEntryKind.Directory : LocalEntryKind.Regular, ManagedMode(entry, isDirectory), null, 0, 0);
        }

        private static string? LinkTargetOf(FileSystemInfo entry)
        {
            if (LinkTargetProperty == null)
            {
                return null;
            }

            try
            {
                return LinkTargetProperty.GetValue(entry) as string;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is IOException || ex.InnerException is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static int ManagedMode(FileSystemInfo entry, bool isDirectory)
        {
            if (GetUnixFileModeMethod != null)
            {
                try
                {
                    return Convert.ToInt32(GetUnixFileModeMethod.Invoke(null, new object[] { entry.FullName }), CultureInfo.InvariantCulture);
                }
                catch (TargetInvocationException ex) when (ex.InnerException is IOException || ex.InnerException is UnauthorizedAccessException)
                {
                    // Falls through to the usual defaults.
                }
            }

            return isDirectory ? Mode755 : Mode644;
        }

        /// <summary>
        /// The lstat mode (type and permission bits) and owner through the runtime's own native shim, whose result
        /// starts with four 32-bit fields (flags, mode, uid, gid) on every .NET Core version; null where that shim is
        /// not there.
        /// </summary>
        private static (int Mode, long Uid, long Gid)? NativeLStat(string path)
        {
            if (!nativeStatUsable)
            {
                return null;
            }

            try
            {
                byte[] name = Encoding.UTF8.GetBytes(path + "\0");
                var status = new byte[512]; // Larger than the shim's result on any version.
                if (SystemNativeLStat(name, status) != 0)
                {
                    return null;
                }

                return (BitConverter.ToInt32(status, 4), BitConverter.ToUInt32(status, 8), BitConverter.ToUInt32(status, 12));
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
            {
                nativeStatUsable = false;
                return null;
            }
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
        private static extern int SystemNativeLStat(byte[] path, [Out] byte[] status);
    }
}
