using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Errors;

namespace DockerPS.Client
{
    /// <summary>
    /// Packs a build context folder into the tar stream the engine's build endpoint reads, leaving out what the
    /// context's .dockerignore excludes, the way the docker CLI does.
    /// </summary>
    internal static class BuildContext
    {
        public const string IgnoreFileName = ".dockerignore";

        private const int BlockSize = 512;
        private const long MaxOctal11 = 8589934591; // 077777777777: the largest value an 11-digit octal field holds.
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

        private enum EntryKind
        {
            Regular,
            Directory,
            Symlink,
            Fifo,
            Other,
        }

        /// <summary>The text of the context's .dockerignore, or null when it has none.</summary>
        public static string? ReadDockerIgnore(string contextDir)
        {
            string path = Path.Combine(contextDir, IgnoreFileName);
            return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null;
        }

        /// <summary>
        /// Writes the context as a tar stream: entries in sorted order, .dockerignore applied (the Dockerfile and
        /// .dockerignore are always sent), owner 0:0, then the two zero blocks. Returns the bytes written; progress
        /// gets the running total.
        /// </summary>
        public static async Task<long> WriteTarAsync(string contextDir, string dockerfileRelativePath, Stream output, Action<long>? progress, CancellationToken ct)
        {
            if (contextDir == null)
            {
                throw new ArgumentNullException(nameof(contextDir));
            }

            if (output == null)
            {
                throw new ArgumentNullException(nameof(output));
            }

            ct.ThrowIfCancellationRequested();
            string root = Path.GetFullPath(contextDir);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"The build context '{contextDir}' is not a folder.");
            }

            DockerIgnore ignore;
            try
            {
                ignore = DockerIgnore.Parse(ReadDockerIgnore(root));
            }
            catch (FormatException ex)
            {
                string ignorePath = Path.Combine(root, IgnoreFileName);
                throw new DockerPSException(ErrorIds.ImageBuildFailed, ErrorCategory.InvalidData, ignorePath,
                    $"'{ignorePath}' cannot be used: {ex.Message}", ex);
            }

            var keep = new List<string> { IgnoreFileName };
            string? dockerfile = RelativeToContext(root, string.IsNullOrEmpty(dockerfileRelativePath) ? "Dockerfile" : dockerfileRelativePath);
            if (dockerfile != null)
            {
                keep.Add(dockerfile);
            }

            // A tar written into the context itself must not swallow its own growing file.
            string? self = output is FileStream file ? Path.GetFullPath(file.Name) : null;

            var walk = new Walk(root, ignore, keep, self, new TarOutput(output, progress, ct), ct);
            await walk.DirectoryAsync(new DirectoryInfo(root), string.Empty).ConfigureAwait(false);
            await walk.Tar.FinishAsync().ConfigureAwait(false);
            return walk.Tar.Total;
        }

        /// <summary>The Dockerfile's path inside the context with forward slashes, or null when it lies outside it.</summary>
        private static string? RelativeToContext(string root, string dockerfile)
        {
            if (OnWindows)
            {
                dockerfile = dockerfile.Replace('\\', '/');
            }

            string full = Path.GetFullPath(Path.Combine(root, dockerfile));
            string prefix = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            StringComparison comparison = OnWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (!full.StartsWith(prefix, comparison) || full.Length == prefix.Length)
            {
                return null;
            }

            string relative = full.Substring(prefix.Length);
            return OnWindows ? relative.Replace('\\', '/') : relative;
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

        /// <summary>What goes into the tar for one file system entry.</summary>
        private static (EntryKind Kind, int Mode, string? LinkTarget) Inspect(FileSystemInfo entry)
        {
            bool isDirectory = entry is DirectoryInfo;
            bool reparse = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
            string? target = reparse ? LinkTargetOf(entry) : null;
            if (OnWindows)
            {
                // As the CLI does on Windows: no permission bits to read, so everything is readable and executable.
                if (target != null)
                {
                    return (EntryKind.Symlink, Mode755, target);
                }

                bool readOnly = !isDirectory && (entry.Attributes & FileAttributes.ReadOnly) != 0;
                return (isDirectory ? EntryKind.Directory : EntryKind.Regular, readOnly ? Mode555 : Mode755, null);
            }

            int? stat = NativeLStatMode(entry.FullName);
            if (stat is int mode)
            {
                int permissions = mode & 0xFFF;
                switch (mode & TypeMask)
                {
                    case TypeDirectory:
                        return (EntryKind.Directory, permissions, null);
                    case TypeRegular:
                        return (EntryKind.Regular, permissions, null);
                    case TypeSymlink:
                        target ??= LinkTargetOf(entry);
                        if (target != null)
                        {
                            return (EntryKind.Symlink, permissions, target);
                        }

                        // Without a way to read the target, the link is followed.
                        return (isDirectory ? EntryKind.Directory : EntryKind.Regular, ManagedMode(entry, isDirectory), null);
                    case TypeFifo:
                        // Sent as a pipe entry, never opened: reading it would block.
                        return (EntryKind.Fifo, permissions, null);
                    default:
                        // Sockets and devices: the CLI skips sockets, and a build has no use for devices.
                        return (EntryKind.Other, permissions, null);
                }
            }

            if (target != null)
            {
                return (EntryKind.Symlink, Mode777, target);
            }

            return (isDirectory ? EntryKind.Directory : EntryKind.Regular, ManagedMode(entry, isDirectory), null);
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
        /// The lstat mode (type and permission bits) through the runtime's own native shim, whose result starts with
        /// two 32-bit fields (flags, mode) on every .NET Core version; null where that shim is not there.
        /// </summary>
        private static int? NativeLStatMode(string path)
        {
            if (!nativeStatUsable)
            {
                return null;
            }

            try
            {
                byte[] name = Encoding.UTF8.GetBytes(path + "\0");
                var status = new byte[512]; // Larger than the shim's result on any version.
                if (NativeLStat(name, status) != 0)
                {
                    return null;
                }

                return BitConverter.ToInt32(status, 4);
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
            {
                nativeStatUsable = false;
                return null;
            }
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat")]
        private static extern int NativeLStat(byte[] path, [Out] byte[] status);

        /// <summary>One pass over the context folder.</summary>
        private sealed class Walk
        {
            private readonly string root;
            private readonly DockerIgnore ignore;
            private readonly List<string> keep;
            private readonly string? self;
            private readonly CancellationToken ct;

            public Walk(string root, DockerIgnore ignore, List<string> keep, string? self, TarOutput tar, CancellationToken ct)
            {
                this.root = root;
                this.ignore = ignore;
                this.keep = keep;
                this.self = self;
                Tar = tar;
                this.ct = ct;
            }

            public TarOutput Tar { get; }

            public async Task DirectoryAsync(DirectoryInfo dir, string relativeDir)
            {
                var entries = new List<FileSystemInfo>(dir.EnumerateFileSystemInfos());
                entries.Sort((a, b) => CompareNames(a.Name, b.Name));
                foreach (FileSystemInfo entry in entries)
                {
                    ct.ThrowIfCancellationRequested();
                    string relative = relativeDir.Length == 0 ? entry.Name : relativeDir + "/" + entry.Name;
                    if (self != null && string.Equals(entry.FullName, self, OnWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                    {
                        continue;
                    }

                    (EntryKind kind, int mode, string? target) = Inspect(entry);
                    if (ignore.IsExcluded(relative) && !keep.Contains(relative))
                    {
                        // An excluded folder is still entered (without its own entry) when something inside may be
                        // brought back, by a "!" pattern or because it holds the Dockerfile.
                        if (kind == EntryKind.Directory && (ignore.MayHaveIncludedChildren(relative) || HoldsKept(relative)))
                        {
                            await DirectoryAsync((DirectoryInfo)entry, relative).ConfigureAwait(false);
                        }

                        continue;
                    }

                    long mtime = UnixSeconds(entry.LastWriteTimeUtc);
                    switch (kind)
                    {
                        case EntryKind.Directory:
                            await Tar.WriteHeaderAsync(relative + "/", '5', mode, 0, mtime, null).ConfigureAwait(false);
                            await DirectoryAsync((DirectoryInfo)entry, relative).ConfigureAwait(false);
                            break;
                        case EntryKind.Symlink:
                            await Tar.WriteHeaderAsync(relative, '2', mode, 0, mtime, target).ConfigureAwait(false);
                            break;
                        case EntryKind.Regular:
                            await FileAsync(entry, relative, mode, mtime).ConfigureAwait(false);
                            break;
                        case EntryKind.Fifo:
                            await Tar.WriteHeaderAsync(relative, '6', mode, 0, mtime, null).ConfigureAwait(false);
                            break;
                        default:
                            break;
                    }
                }
            }

            private bool HoldsKept(string relativeDir)
            {
                string prefix = relativeDir + "/";
                return keep.Exists(k => k.StartsWith(prefix, StringComparison.Ordinal));
            }

            private async Task FileAsync(FileSystemInfo entry, string relative, int mode, long mtime)
            {
                // Opened before its header is written, so an unreadable file fails before leaving half an entry.
                using var source = new FileStream(entry.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                    1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                long size = source.Length;
                await Tar.WriteHeaderAsync(relative, '0', mode, size, mtime, null).ConfigureAwait(false);
                await Tar.WriteContentAsync(source, size, Path.Combine(root, relative)).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Writes ustar entries, with a PAX extended header in front of any whose name, link target, size or time
        /// does not fit the ustar fields. Everything goes through one block buffer so the output sees large writes.
        /// </summary>
        private sealed class TarOutput
        {
            private readonly Stream output;
            private readonly Action<long>? progress;
            private readonly CancellationToken ct;
            private readonly byte[] header = new byte[BlockSize];
            private readonly byte[] buffer = new byte[64 * 1024];
            private int used;

            public TarOutput(Stream output, Action<long>? progress, CancellationToken ct)
            {
                this.output = output;
                this.progress = progress;
                this.ct = ct;
            }

            public long Total { get; private set; }

            public async Task WriteHeaderAsync(string name, char type, int mode, long size, long mtime, string? linkName)
            {
                var pax = new List<KeyValuePair<string, string>>();
                bool longLink = linkName != null && !FitsUstar(linkName, 100);
                bool longName = !FitsUstar(name, 100);
                bool bigSize = size > MaxOctal11;
                bool oddTime = mtime < 0 || mtime > MaxOctal11;

                // Records in key order, as other writers emit them.
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

                if (pax.Count > 0)
                {
                    byte[] data = PaxData(pax);
                    FillHeader(PaxHeaderName(name), 'x', Mode644, data.Length, oddTime ? 0 : mtime, null);
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
                    linkName == null ? null : longLink ? AsciiFallback(linkName) : linkName);
                await AppendAsync(header, 0, BlockSize).ConfigureAwait(false);
            }

            /// <summary>Copies exactly size bytes of the file, in chunks, then pads to the block size.</summary>
            public async Task WriteContentAsync(Stream source, long size, string path)
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

            public async Task FinishAsync()
            {
                Array.Clear(header, 0, BlockSize);
                await AppendAsync(header, 0, BlockSize).ConfigureAwait(false);
                await AppendAsync(header, 0, BlockSize).ConfigureAwait(false);
                await FlushBufferAsync().ConfigureAwait(false);
                await output.FlushAsync(ct).ConfigureAwait(false);
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

            private void FillHeader(string name, char type, int mode, long size, long mtime, string? linkName)
            {
                Array.Clear(header, 0, BlockSize);
                PutAscii(0, 100, name);
                PutOctal(100, 8, mode);
                PutOctal(108, 8, 0); // uid
                PutOctal(116, 8, 0); // gid
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
        }

        /// <summary>
        /// The rules of a .dockerignore file, read and matched as the docker CLI does: one pattern a line, "#" lines
        /// are comments, patterns are trimmed and cleaned, "!" brings back what earlier lines excluded, the last
        /// matching line wins, and a pattern that matches a folder matches everything below it.
        /// </summary>
        internal sealed class DockerIgnore
        {
            private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(5);

            private readonly List<Rule> rules;

            private DockerIgnore(List<Rule> rules)
            {
                this.rules = rules;
                var patterns = new List<string>(rules.Count);
                foreach (Rule rule in rules)
                {
                    patterns.Add(rule.Exclusion ? "!" + rule.Pattern : rule.Pattern);
                    HasExclusions |= rule.Exclusion;
                }

                Patterns = patterns;
            }

            private enum MatchKind
            {
                Exact,
                Prefix,
                Suffix,
                Pattern,
            }

            /// <summary>The patterns after cleaning, in file order; re-including ones keep their "!".</summary>
            public IReadOnlyList<string> Patterns { get; }

            /// <summary>True when some pattern starts with "!".</summary>
            public bool HasExclusions { get; }

            /// <summary>Reads .dockerignore text with this platform's rules: on Windows "\" separates folders.</summary>
            public static DockerIgnore Parse(string? text) => Parse(text, OnWindows);

            /// <summary>
            /// Reads .dockerignore text. With backslashIsSeparator "\" is a folder separator (Windows); otherwise it
            /// escapes the next character. A malformed pattern is a FormatException.
            /// </summary>
            public static DockerIgnore Parse(string? text, bool backslashIsSeparator)
            {
                var rules = new List<Rule>();
                if (text == null)
                {
                    return new DockerIgnore(rules);
                }

                string[] lines = text.Split('\n');
                for (int n = 0; n < lines.Length; n++)
                {
                    string line = lines[n];
                    if (line.EndsWith("\r", StringComparison.Ordinal))
                    {
                        line = line.Substring(0, line.Length - 1);
                    }

                    if (n == 0 && line.Length > 0 && line[0] == '\uFEFF')
                    {
                        line = line.Substring(1);
                    }

                    // Only a "#" in the very first column makes a comment; the line is not trimmed first.
                    if (line.StartsWith("#", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    string pattern = line.Trim();
                    if (pattern.Length == 0)
                    {
                        continue;
                    }

                    bool invert = pattern[0] == '!';
                    if (invert)
                    {
                        pattern = pattern.Substring(1).Trim();
                    }

                    if (pattern.Length > 0)
                    {
                        if (backslashIsSeparator)
                        {
                            pattern = pattern.Replace('\\', '/');
                        }

                        pattern = Clean(pattern);
                        if (pattern.Length > 1 && pattern[0] == '/')
                        {
                            // Patterns are relative to the context root.
                            pattern = pattern.Substring(1);
                        }
                    }

                    // Cleaned a second time with the "!" on, as the CLI's matcher does: "!/" so becomes a lone "!".
                    pattern = Clean(invert ? "!" + pattern : pattern);
                    bool exclusion = pattern[0] == '!';
                    if (exclusion)
                    {
                        if (pattern.Length == 1)
                        {
                            throw new FormatException($"line {n + 1}: \"!\" alone is not a valid pattern.");
                        }

                        pattern = pattern.Substring(1);
                    }

                    rules.Add(Rule.Compile(pattern, exclusion, n + 1));
                }

                return new DockerIgnore(rules);
            }

            /// <summary>
            /// True when the path (relative to the context, "/" separated) is left out: the last pattern that matches
            /// it, or that matched one of its parent folders, decides.
            /// </summary>
            /// <remarks>
            /// Decided folder by folder from the top, each level reusing which patterns matched its parent, as the CLI
            /// walks a context. That differs from testing each parent afresh in one corner the CLI's output shows: a
            /// pattern skipped for a folder (because it could not change that folder's outcome) does not count as
            /// matching it further down. "a", "!a/b/c.txt", "a*" so sends a/b/c.txt.
            /// </remarks>
            public bool IsExcluded(string relativePath)
            {
                string path = relativePath.TrimEnd('/');
                bool[]? parentMatched = null;
                for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                {
                    parentMatched = Decide(path.Substring(0, slash), parentMatched, out _);
                }

                Decide(path, parentMatched, out bool excluded);
                return excluded;
            }

            /// <summary>
            /// Whether an excluded folder must still be entered because a "!" pattern names a path inside it. Like the
            /// CLI, this looks at the pattern's literal text: "!dir/keep" counts for "dir", "!**/keep" does not.
            /// </summary>
            public bool MayHaveIncludedChildren(string dir)
            {
                if (!HasExclusions)
                {
                    return false;
                }

                string prefix = dir.TrimEnd('/') + "/";
                foreach (Rule rule in rules)
                {
                    if (rule.Exclusion && (rule.Pattern + "/").StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>Which patterns match the path (given those that matched its folder), and the outcome.</summary>
            private bool[] Decide(string path, bool[]? parentMatched, out bool excluded)
            {
                var matched = new bool[rules.Count];
                excluded = false;
                for (int i = 0; i < rules.Count; i++)
                {
                    Rule rule = rules[i];
                    bool match = parentMatched != null && parentMatched[i];
                    if (!match)
                    {
                        // A pattern that cannot change the outcome is not evaluated (nor remembered as matching).
                        if (rule.Exclusion != excluded)
                        {
                            continue;
                        }

                        match = rule.Matches(path);
                    }

                    matched[i] = match;
                    if (match)
                    {
                        excluded = !rule.Exclusion;
                    }
                }

                return matched;
            }

            /// <summary>Lexical path cleaning: "." and empty elements go, ".." eats its parent, no trailing "/".</summary>
            internal static string Clean(string path)
            {
                if (path.Length == 0)
                {
                    return ".";
                }

                bool rooted = path[0] == '/';
                var parts = new List<string>();
                foreach (string part in path.Split('/'))
                {
                    if (part.Length == 0 || part == ".")
                    {
                        continue;
                    }

                    if (part == "..")
                    {
                        if (parts.Count > 0 && parts[parts.Count - 1] != "..")
                        {
                            parts.RemoveAt(parts.Count - 1);
                        }
                        else if (!rooted)
                        {
                            parts.Add(part);
                        }

                        continue;
                    }

                    parts.Add(part);
                }

                string joined = string.Join("/", parts);
                return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
            }

            /// <summary>One pattern, compiled the way the CLI's matcher compiles it, with its plain-text shortcuts.</summary>
            private sealed class Rule
            {
                private readonly MatchKind kind;
                private readonly Regex? regex;

                private Rule(string pattern, bool exclusion, MatchKind kind, Regex? regex)
                {
                    Pattern = pattern;
                    Exclusion = exclusion;
                    this.kind = kind;
                    this.regex = regex;
                }

                public string Pattern { get; }

                public bool Exclusion { get; }

                public static Rule Compile(string pattern, bool exclusion, int line)
                {
                    var re = new StringBuilder("^");
                    var kind = MatchKind.Exact;
                    int i = 0;
                    bool first = true;
                    while (i < pattern.Length)
                    {
                        char ch = pattern[i++];
                        if (ch == '*' && i < pattern.Length && pattern[i] == '*')
                        {
                            i++;
                            if (i < pattern.Length && pattern[i] == '/')
                            {
                                i++;
                            }

                            if (i == pattern.Length)
                            {
                                // A trailing "**" takes everything below.
                                if (kind == MatchKind.Exact)
                                {
                                    kind = MatchKind.Prefix;
                                }
                                else
                                {
                                    re.Append(".*");
                                    kind = MatchKind.Pattern;
                                }
                            }
                            else
                            {
                                // Any number of folders, none included; two in a row mean no more than one.
                                const string anyDirs = "(.*/)?";
                                if (!re.ToString().EndsWith(anyDirs, StringComparison.Ordinal))
                                {
                                    re.Append(anyDirs);
                                }

                                kind = MatchKind.Pattern;
                            }

                            if (first)
                            {
                                kind = MatchKind.Suffix;
                            }
                        }
                        else if (ch == '*')
                        {
                            re.Append("[^/]*");
                            kind = MatchKind.Pattern;
                        }
                        else if (ch == '?')
                        {
                            // One character, not a separator; a surrogate pair is one character.
                            re.Append(@"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^/])");
                            kind = MatchKind.Pattern;
                        }
                        else if (ch == '\\')
                        {
                            if (i == pattern.Length)
                            {
                                throw Bad(line, pattern, "it ends with an escaping \"\\\"");
                            }

                            re.Append(Regex.Escape(pattern[i++].ToString()));
                            kind = MatchKind.Pattern;
                        }
                        else if (ch == '[')
                        {
                            i = AppendClass(re, pattern, i, line);
                            kind = MatchKind.Pattern;
                        }
                        else
                        {
                            re.Append(Regex.Escape(ch.ToString()));
                        }

                        first = false;
                    }

                    if (kind != MatchKind.Pattern)
                    {
                        return new Rule(pattern, exclusion, kind, null);
                    }

                    // \z, not $: "$" would also match before a final newline.
                    re.Append(@"\z");
                    Regex regex;
                    try
                    {
                        regex = new Regex(re.ToString(), RegexOptions.CultureInvariant, MatchTimeout);
                    }
                    catch (ArgumentException ex)
                    {
                        throw Bad(line, pattern, ex.Message);
                    }

                    return new Rule(pattern, exclusion, MatchKind.Pattern, regex);
                }

                private static FormatException Bad(int line, string pattern, string why) =>
                    new FormatException($"line {line}: the pattern '{pattern}' is not valid: {why}.");

                /// <summary>
                /// Turns "[...]" (the "[" already read) into a regex class: "^" negates, "a-z" is a range, "\" escapes.
                /// Returns the index after the closing "]".
                /// </summary>
                private static int AppendClass(StringBuilder re, string pattern, int i, int line)
                {
                    var cls = new StringBuilder("[");
                    if (i < pattern.Length && pattern[i] == '^')
                    {
                        cls.Append('^');
                        i++;
                    }

                    int ranges = 0;
                    while (true)
                    {
                        if (i < pattern.Length && pattern[i] == ']' && ranges > 0)
                        {
                            i++;
                            break;
                        }

                        char lo = ClassChar(pattern, ref i, line);
                        char hi = lo;
                        if (pattern[i] == '-')
                        {
                            i++;
                            hi = ClassChar(pattern, ref i, line);
                        }

                        if (hi < lo)
                        {
                            throw Bad(line, pattern, $"the range {lo}-{hi} runs backwards");
                        }

                        cls.Append(EscapeInClass(lo));
                        if (hi != lo)
                        {
                            cls.Append('-').Append(EscapeInClass(hi));
                        }

                        ranges++;
                    }

                    re.Append(cls).Append(']');
                    return i;
                }

                /// <summary>One character of a class; as in path matching, it may not be "-" or "]" unescaped, nor end the pattern.</summary>
                private static char ClassChar(string pattern, ref int i, int line)
                {
                    if (i >= pattern.Length || pattern[i] == '-' || pattern[i] == ']')
                    {
                        throw Bad(line, pattern, "a character class is empty, unclosed or has a stray \"-\"");
                    }

                    if (pattern[i] == '\\')
                    {
                        i++;
                        if (i >= pattern.Length)
                        {
                            throw Bad(line, pattern, "a character class is unclosed");
                        }
                    }

                    char c = pattern[i++];
                    if (i >= pattern.Length)
                    {
                        throw Bad(line, pattern, "a character class is unclosed");
                    }

                    return c;
                }

                private static string EscapeInClass(char c) =>
                    c == '\\' || c == ']' || c == '[' || c == '^' || c == '-' ? "\\" + c : c.ToString();

                public bool Matches(string path)
                {
                    switch (kind)
                    {
                        case MatchKind.Exact:
                            return string.Equals(path, Pattern, StringComparison.Ordinal);
                        case MatchKind.Prefix:
                            return path.StartsWith(Pattern.Substring(0, Pattern.Length - 2), StringComparison.Ordinal);
                        case MatchKind.Suffix:
                            // "**/name" also matches "name" at the root.
                            string suffix = Pattern.Substring(2);
                            return path.EndsWith(suffix, StringComparison.Ordinal)
                                || (suffix.Length > 0 && suffix[0] == '/' && string.Equals(path, suffix.Substring(1), StringComparison.Ordinal));
                        default:
                            return regex!.IsMatch(path);
                    }
                }
            }
        }
    }
}
