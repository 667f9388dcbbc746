using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Errors;

namespace DockerPS.Archives
{
    /// <summary>
    /// Writes a tar stream into a local folder: files, folders and symbolic links with their permission bits and
    /// times, hard links as copies. Nothing is ever written outside the folder: names that are absolute, climb with
    /// "..", or pass through a link the archive made are refused. Then moves what was extracted into place.
    /// </summary>
    internal static class TarExtractor
    {
        private static readonly bool OnWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        // Both exist only on newer runtimes (.NET 6 and .NET 7); the module also runs where they are missing.
        private static readonly MethodInfo? CreateSymbolicLinkMethod = typeof(File).GetMethod("CreateSymbolicLink", new[] { typeof(string), typeof(string) });
        private static readonly Type? UnixFileModeType = typeof(File).Assembly.GetType("System.IO.UnixFileMode");
        private static readonly MethodInfo? SetUnixFileModeMethod = UnixFileModeType == null ? null
            : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), UnixFileModeType });

        /// <summary>
        /// Extracts every entry into <paramref name="root"/>, a new empty folder. <paramref name="map"/> turns an
        /// entry's name into the "/" separated path to give it below the root: "" for the root itself (left as it
        /// is), null for a name that does not belong to the archive (refused). Links that cannot be made here are
        /// reported to <paramref name="skipped"/>.
        /// </summary>
        public static async Task ExtractAsync(TarReader reader, string root, Func<string, string?> map, Action<string> skipped, CancellationToken ct)
        {
            var made = new Made();
            var buffer = new byte[128 * 1024];
            for (TarEntry? entry = await reader.NextAsync().ConfigureAwait(false); entry != null; entry = await reader.NextAsync().ConfigureAwait(false))
            {
                ct.ThrowIfCancellationRequested();
                string? relative = SafeRelative(entry.Name, map, made.Links);
                if (relative == null || entry.Type == TarEntryType.Other)
                {
                    continue;
                }

                string path = Path.Combine(root, relative);
                switch (entry.Type)
                {
                    case TarEntryType.Directory:
                        Local(path, () =>
                        {
                            Prepare(path, relative, true, made);
                            Directory.CreateDirectory(path);
                        });
                        made.Folders.Add((relative, entry.Mode, entry.ModifiedUtc));
                        break;
                    case TarEntryType.File:
                        FileStream file = Local(path, () =>
                        {
                            Prepare(path, relative, false, made);
                            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                        });
                        using (file)
                        {
                            int read;
                            while ((read = await reader.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                            {
                                try
                                {
                                    await file.WriteAsync(buffer, 0, read, ct).ConfigureAwait(false);
                                }
                                catch (Exception ex) when (IsLocalFailure(ex) && !ct.IsCancellationRequested)
                                {
                                    throw WriteFailed(path, ex);
                                }
                            }
                        }

                        Local(path, () =>
                        {
                            SetMode(path, entry.Mode);
                            File.SetLastWriteTimeUtc(path, entry.ModifiedUtc);
                        });
                        made.Files.Add(relative);
                        break;
                    case TarEntryType.HardLink:
                        // Made a copy of the file it names, which must be one this archive wrote before.
                        string? original = entry.LinkName == null ? null : SafeRelative(entry.LinkName, map, made.Links);
                        if (original == null || !made.Files.Contains(original))
                        {
                            throw Unsafe(entry.Name, $"it is a hard link to '{entry.LinkName}', which is not a file of the archive");
                        }

                        Local(path, () =>
                        {
                            Prepare(path, relative, false, made);
                            File.Copy(Path.Combine(root, original), path);
                        });
                        made.Files.Add(relative);
                        break;
                    case TarEntryType.Symlink:
                        bool linked = Local(path, () =>
                        {
                            Prepare(path, relative, false, made);
                            return TryCreateSymbolicLink(path, entry.LinkName ?? string.Empty);
                        });
                        if (linked)
                        {
                            Local(path, () => SetLinkTime(path, entry.ModifiedUtc));
                            made.Links.Add(relative);
                        }
                        else
                        {
                            skipped(relative.Replace('\\', '/'));
                        }

                        break;
                }
            }

            // Folders get their modes and times last, deepest first: writing inside them changed both.
            for (int i = made.Folders.Count - 1; i >= 0; i--)
            {
                (string relative, int mode, DateTime modified) = made.Folders[i];
                string path = Path.Combine(root, relative);
                Local(path, () =>
                {
                    SetMode(path, mode);
                    Directory.SetLastWriteTimeUtc(path, modified);
                });
            }
        }

        /// <summary>
        /// Moves what <paramref name="staging"/> holds into <paramref name="receiving"/>: new entries in one rename
        /// each, folders that exist on both sides merged, files replaced whole. A folder never turns into a file nor
        /// a file into a folder. Links already in <paramref name="receiving"/> are replaced, never followed.
        /// </summary>
        public static void MergeInto(string staging, string receiving)
        {
            foreach (FileSystemInfo staged in new DirectoryInfo(staging).EnumerateFileSystemInfos())
            {
                string target = Path.Combine(receiving, staged.Name);
                bool stagedIsFolder = IsRealFolder(staged.FullName);
                bool targetIsFolder = IsRealFolder(target);
                if (stagedIsFolder && targetIsFolder)
                {
                    MergeInto(staged.FullName, target);
                    continue;
                }

                if (targetIsFolder)
                {
                    throw new DockerPSException(ErrorIds.CopyConflict, ErrorCategory.ResourceExists, target,
                        $"'{target}' is a folder and the copy has a file of that name. Remove or rename the folder, or copy somewhere else.");
                }

                bool targetExists = File.Exists(target) || Directory.Exists(target);
                if (stagedIsFolder && targetExists && !IsLink(target))
                {
                    throw new DockerPSException(ErrorIds.CopyConflict, ErrorCategory.ResourceExists, target,
                        $"'{target}' is a file and the copy has a folder of that name. Remove or rename the file, or copy somewhere else.");
                }

                if (!stagedIsFolder && !IsLink(staged.FullName) && targetExists)
                {
                    // A file over a file: one rename, so the old one stays until the new one is there.
                    AtomicFile.Commit(staged.FullName, target);
                    continue;
                }

                if (targetExists)
                {
                    File.Delete(target);
                }

                if (staged is DirectoryInfo)
                {
                    Directory.Move(staged.FullName, target);
                }
                else
                {
                    File.Move(staged.FullName, target);
                }
            }
        }

        /// <summary>Removes a staging folder and all it holds, links included (never followed).</summary>
        public static void TryDeleteTree(string path)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    MakeWritable(new DirectoryInfo(path));
                    Directory.Delete(path, true);
                }
            }
            catch (IOException)
            {
                // Best effort: the staging folder has a name that never passes for the copy.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }

        /// <summary>
        /// The entry's path below the root in this platform's form, "" to leave it out (the root itself), or an
        /// error for any name that would land outside the root.
        /// </summary>
        private static string? SafeRelative(string name, Func<string, string?> map, HashSet<string> links)
        {
            string? mapped = map(name);
            if (mapped == null)
            {
                throw Unsafe(name, "it lies outside what was asked for");
            }

            if (mapped.StartsWith("/", StringComparison.Ordinal) || (OnWindows && (mapped.StartsWith("\\", StringComparison.Ordinal) || mapped.IndexOf(':') >= 0)))
            {
                throw Unsafe(name, "its name is an absolute path");
            }

            var parts = new List<string>();
            foreach (string part in mapped.Split('/'))
            {
                if (part.Length == 0 || part == ".")
                {
                    continue;
                }

                if (part == ".." || (OnWindows && part.IndexOf('\\') >= 0))
                {
                    throw Unsafe(name, "its name climbs out of the destination with '..'");
                }

                parts.Add(part);
                if (parts.Count > 1 && links.Contains(string.Join(Path.DirectorySeparatorChar.ToString(), parts.GetRange(0, parts.Count - 1))))
                {
                    throw Unsafe(name, "it would be written through a symbolic link the archive made");
                }
            }

            return parts.Count == 0 ? null : string.Join(Path.DirectorySeparatorChar.ToString(), parts);
        }

        private static DockerPSException Unsafe(string name, string why) =>
            new DockerPSException(ErrorIds.UnsafeArchiveEntry, ErrorCategory.SecurityError, name,
                $"The archive entry '{name}' was refused: {why}. Nothing was written outside the destination, and the copy was not finished.");

        /// <summary>
        /// Makes room for a new entry: its folder is made, and whatever an earlier entry of the same name left goes,
        /// unless both are folders. What was below a removed folder is forgotten, so that nothing is later done
        /// through a link that took its place.
        /// </summary>
        private static void Prepare(string path, string relative, bool folder, Made made)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (made.Links.Remove(relative))
            {
                File.Delete(path);
            }
            else if (Directory.Exists(path))
            {
                if (folder)
                {
                    return;
                }

                Directory.Delete(path, true);
                made.Forget(relative);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
                made.Files.Remove(relative);
            }
        }

        private static bool IsLocalFailure(Exception ex) => ex is IOException || ex is UnauthorizedAccessException;

        /// <summary>A failure of this machine's file system (full disk, no permission), told apart from the archive's.</summary>
        private static DockerPSException WriteFailed(string path, Exception ex) =>
            new DockerPSException(ErrorIds.CopyFailed, ErrorCategory.WriteError, path,
                $"Could not write '{path}': {Wording.Clause(ex.Message)}. Nothing was copied to the destination.", ex);

        private static void Local(string path, Action operation) => Local(path, () =>
        {
            operation();
            return true;
        });

        private static T Local<T>(string path, Func<T> operation)
        {
            try
            {
                return operation();
            }
            catch (Exception ex) when (IsLocalFailure(ex))
            {
                throw WriteFailed(path, ex);
            }
        }

        private static bool IsLink(string path)
        {
            try
            {
                return (File.Exists(path) || Directory.Exists(path)) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (IOException)
            {
                return false;
            }
        }

        private static bool IsRealFolder(string path) => Directory.Exists(path) && !IsLink(path);

        private static bool TryCreateSymbolicLink(string path, string target)
        {
            if (CreateSymbolicLinkMethod == null)
            {
                return false;
            }

            try
            {
                CreateSymbolicLinkMethod.Invoke(null, new object[] { path, target });
                return true;
            }
            catch (TargetInvocationException ex) when (OnWindows && (ex.InnerException is IOException || ex.InnerException is UnauthorizedAccessException))
            {
                // Windows makes links only with developer mode or the privilege to do so.
                return false;
            }
        }

        /// <summary>
        /// Gives a symbolic link its own time, as docker cp does. File.SetLastWriteTimeUtc would follow the link and
        /// change its target instead, so on Unix this is utimensat with AT_SYMLINK_NOFOLLOW; elsewhere the link keeps
        /// the time it was made.
        /// </summary>
        private static void SetLinkTime(string path, DateTime modifiedUtc)
        {
            int noFollow = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? 0x100 : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 0x20 : 0;
            int currentFolder = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? -100 : -2;

            // The two-longs timespec is the layout of 64-bit Unix only.
            if (noFollow == 0 || IntPtr.Size != 8)
            {
                return;
            }

            long ticks = modifiedUtc.Ticks - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            long seconds = ticks / TimeSpan.TicksPerSecond;
            long nanoseconds = ticks % TimeSpan.TicksPerSecond * 100;
            if (nanoseconds < 0)
            {
                seconds--;
                nanoseconds += 1_000_000_000;
            }

            // Access and modification time alike, as the CLI sets them when the archive holds no access time.
            long[] times = { seconds, nanoseconds, seconds, nanoseconds };
            if (UtimensAt(currentFolder, System.Text.Encoding.UTF8.GetBytes(path + "\0"), times, noFollow) != 0)
            {
                throw new IOException($"Could not set the time of the link '{path}' (error {Marshal.GetLastWin32Error()}).");
            }
        }

        [DllImport("libc", EntryPoint = "utimensat", SetLastError = true)]
        private static extern int UtimensAt(int folder, byte[] path, long[] times, int flags);

        private static void SetMode(string path, int mode)
        {
            if (OnWindows || SetUnixFileModeMethod == null)
            {
                return;
            }

            SetUnixFileModeMethod.Invoke(null, new[] { path, Enum.ToObject(UnixFileModeType!, mode & 0xFFF) });
        }

        /// <summary>What an extraction has made so far, by path below the root.</summary>
        private sealed class Made
        {
            private static readonly StringComparer Names = OnWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

            public HashSet<string> Links { get; } = new HashSet<string>(Names);

            public HashSet<string> Files { get; } = new HashSet<string>(Names);

            /// <summary>Folders in the order they were made, with the mode and time they get at the end.</summary>
            public List<(string Relative, int Mode, DateTime Modified)> Folders { get; } = new List<(string, int, DateTime)>();

            /// <summary>Drops a removed folder and everything that was below it.</summary>
            public void Forget(string folder)
            {
                string below = folder + Path.DirectorySeparatorChar;
                bool Inside(string relative) => Names.Equals(relative, folder) || relative.StartsWith(below, OnWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
                Links.RemoveWhere(Inside);
                Files.RemoveWhere(Inside);
                Folders.RemoveAll(f => Inside(f.Relative));
            }
        }

        /// <summary>Folders extracted without write permission would stop their own removal.</summary>
        private static void MakeWritable(DirectoryInfo folder)
        {
            if (OnWindows || SetUnixFileModeMethod == null || IsLink(folder.FullName))
            {
                return;
            }

            SetMode(folder.FullName, 448); // 0700
            foreach (DirectoryInfo child in folder.EnumerateDirectories())
            {
                MakeWritable(child);
            }
        }
    }
}
