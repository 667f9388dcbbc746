using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Archives;

namespace DockerPS.Client
{
    /// <summary>What a volume backup holds, as checked before a restore.</summary>
    internal readonly struct VolumeBackupContents
    {
        public VolumeBackupContents(long entries, long bytes)
        {
            Entries = entries;
            Bytes = bytes;
        }

        /// <summary>Files, folders and links, the volume's own folder not counted.</summary>
        public long Entries { get; }

        /// <summary>Bytes of file content.</summary>
        public long Bytes { get; }
    }

    /// <summary>
    /// Volume backup and restore without running anything: a helper container is created (never started) from a tiny
    /// image the module imports itself from an empty tarball, with the volume mounted, and the volume's files go
    /// through the engine's archive endpoint. The helper is removed afterwards, also on failure and Ctrl+C; one that could not
    /// be removed (the engine connection broke) is removed by the next backup or restore.
    /// </summary>
    internal static partial class VolumeClient
    {
        /// <summary>The helper image: an empty filesystem, imported locally, never pulled.</summary>
        public const string HelperImage = "dockerps/volume-helper:1";

        /// <summary>The label on the helper image and containers.</summary>
        public const string HelperLabel = "dockerps.helper";

        /// <summary>The label on a helper container that names the volume it mounts.</summary>
        public const string HelperVolumeLabel = "dockerps.helper.volume";

        /// <summary>The label on a helper container that names the process that made it: machine/pid/start time.</summary>
        public const string HelperOwnerLabel = "dockerps.helper.owner";

        /// <summary>Where helpers mount the volume; so the top folder of every backup is named this.</summary>
        public const string BackupRoot = "volume";

        private const string MountPath = "/" + BackupRoot;

        /// <summary>How long clean-up calls may take once the caller's token has fired.</summary>
        private static readonly TimeSpan CleanupBudget = TimeSpan.FromSeconds(10);

        /// <summary>A helper of another machine (whose process cannot be looked at) counts as left over after this long.</summary>
        private static readonly TimeSpan ForeignHelperAge = TimeSpan.FromDays(1);

        private static readonly string Owner = OwnerOf(Process.GetCurrentProcess());

        /// <summary>The names of the helpers this process is using right now: the others it made were left by a broken connection.</summary>
        private static readonly ConcurrentDictionary<string, bool> HelpersInUse = new ConcurrentDictionary<string, bool>();

        /// <summary>Streams the volume's files (owners, modes and links kept) as a tar into <paramref name="destination"/>.</summary>
        public static Task BackupAsync(EngineConnection c, string volume, Stream destination, Action<long> copied, Action<string, Exception> couldNotRemove, CancellationToken ct) =>
            WithHelperAsync(c, volume, readOnly: true, couldNotRemove, async helper =>
            {
                var archive = await c.Unbounded.Containers.GetArchiveFromContainerAsync(helper, new ContainerPathStatParameters { Path = MountPath }, false, ct).ConfigureAwait(false);
                using (Stream source = archive.Stream!)
                {
                    await StreamCopy.CopyAsync(source, destination, copied, ct).ConfigureAwait(false);
                }

                return true;
            }, ct);

        /// <summary>True when the volume holds nothing but its own folder.</summary>
        public static Task<bool> IsEmptyAsync(EngineConnection c, string volume, Action<string, Exception> couldNotRemove, CancellationToken ct) =>
            WithHelperAsync(c, volume, readOnly: true, couldNotRemove, async helper =>
            {
                var archive = await c.Api.Containers.GetArchiveFromContainerAsync(helper, new ContainerPathStatParameters { Path = MountPath }, false, ct).ConfigureAwait(false);
                using (Stream source = archive.Stream!)
                using (ct.Register(source.Dispose))
                {
                    // The first entry is the volume's own folder; anything after it is content. The rest is not read.
                    var reader = new TarReader(source, ct);
                    return await reader.NextAsync().ConfigureAwait(false) == null || await reader.NextAsync().ConfigureAwait(false) == null;
                }
            }, ct);

        /// <summary>
        /// Extracts a checked backup into the volume. With <paramref name="createWithLabels"/> the volume is created first, and
        /// removed again if the restore does not complete; an existing volume keeps what was extracted before a failure.
        /// Files of the archive replace files of the same path; other files are left as they are.
        /// </summary>
        public static async Task RestoreAsync(EngineConnection c, string volume, IDictionary<string, string>? createWithLabels, Stream tar, Action<string, Exception> couldNotRemove, CancellationToken ct)
        {
            bool create = createWithLabels != null;
            if (create)
            {
                // Created with a token of its own, so that Ctrl+C cannot leave a volume made but not known to be.
                using var creating = new CancellationTokenSource(CleanupBudget);
                await c.Api.Volumes.CreateAsync(new VolumesCreateParameters { Name = volume, Labels = createWithLabels! }, creating.Token).ConfigureAwait(false);
            }

            try
            {
                await WithHelperAsync(c, volume, readOnly: false, couldNotRemove, async helper =>
                {
                    using (ct.Register(tar.Dispose))
                    {
                        await c.Unbounded.Containers.ExtractArchiveToContainerAsync(helper,
                            new CopyToContainerParameters { Path = "/", AllowOverwriteDirWithFile = true }, tar, ct).ConfigureAwait(false);
                    }

                    return true;
                }, ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (create)
                {
                    await CleanUpAsync(token => c.Api.Volumes.RemoveAsync(volume, true, token), $"the partly restored new volume '{volume}'", couldNotRemove).ConfigureAwait(false);
                }

                if (ct.IsCancellationRequested)
                {
                    throw new OperationCanceledException(ct);
                }

                if (!EngineAnswer.IsFailure(ex))
                {
                    throw;
                }

                throw VolumeArchiveException.RestoreBroken(volume, create, ex);
            }
        }

        /// <summary>
        /// Reads a backup to its end without the engine, and refuses anything that is not a whole tar archive whose
        /// entries all sit under one top folder named like <see cref="BackupRoot"/>, as Backup-DockerVolume writes them.
        /// </summary>
        public static async Task<VolumeBackupContents> CheckBackupAsync(Stream tar, string path, CancellationToken ct)
        {
            var reader = new TarReader(tar, ct);
            long entries = 0;
            long bytes = 0;
            try
            {
                TarEntry? first = await reader.NextAsync().ConfigureAwait(false);
                if (first == null)
                {
                    throw VolumeArchiveException.NotABackup(path, "it is an empty tar archive");
                }

                if (first.Type != TarEntryType.Directory || Normalize(first.Name) != BackupRoot)
                {
                    throw VolumeArchiveException.NotABackup(path, $"its first entry is '{first.Name}', not the folder '{BackupRoot}/'");
                }

                while (await reader.NextAsync().ConfigureAwait(false) is TarEntry entry)
                {
                    CheckInside(path, entry.Name);
                    if (entry.Type == TarEntryType.HardLink)
                    {
                        CheckInside(path, entry.LinkName ?? string.Empty);
                    }

                    entries++;
                    bytes += entry.Type == TarEntryType.File ? entry.Size : 0;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is EndOfStreamException)
            {
                // Damaged headers and archives cut short alike: the file is not a whole backup.
                throw VolumeArchiveException.NotABackup(path, "it is not a whole tar archive", ex);
            }

            return new VolumeBackupContents(entries, bytes);
        }

        /// <summary>Makes sure the helper image is on the engine, importing it from an empty tarball when it is not.</summary>
        private static async Task EnsureHelperImageAsync(EngineConnection c, CancellationToken ct)
        {
            try
            {
                await c.Api.Images.InspectImageAsync(HelperImage, ct).ConfigureAwait(false);
                return;
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // Not there yet: made below.
            }

            // Two zero blocks: a tar archive with nothing in it.
            using var empty = new MemoryStream(new byte[1024]);
            var (repository, tag) = Naming.SplitReference(HelperImage);
            await ImageClient.ImportAsync(c, empty, null, repository, tag,
                new[] { $"LABEL {HelperLabel}=volume", "CMD [\"/never-started\"]" },
                "DockerPS volume helper: an empty filesystem, never started", HelperImage, _ => { }, ct).ConfigureAwait(false);
        }

        /// <summary>Creates a helper container that mounts the volume, runs the work on it, and always removes it.</summary>
        private static async Task<T> WithHelperAsync<T>(EngineConnection c, string volume, bool readOnly, Action<string, Exception> couldNotRemove, Func<string, Task<T>> work, CancellationToken ct)
        {
            await EnsureHelperImageAsync(c, ct).ConfigureAwait(false);
            await RemoveLeftoverHelpersAsync(c, ct).ConfigureAwait(false);

            // Known to be in use from before it exists, so that no other backup of this process takes it for a leftover.
            string name = "dockerps-volume-helper-" + Guid.NewGuid().ToString("N").Substring(0, 12);
            HelpersInUse[name] = true;
            CreateContainerResponse created;
            try
            {
                using var creating = new CancellationTokenSource(CleanupBudget);

                // Its own token: a helper the engine made must be known here, to be removed.
                created = await c.Api.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Name = name,
                    Image = HelperImage,
                    Labels = new Dictionary<string, string> { [HelperLabel] = "volume", [HelperVolumeLabel] = volume, [HelperOwnerLabel] = Owner },
                    NetworkDisabled = true,
                    HostConfig = new HostConfig
                    {
                        NetworkMode = "none",
                        Mounts = new List<Mount>
                        {
                            new Mount { Type = "volume", Source = volume, Target = MountPath, ReadOnly = readOnly, VolumeOptions = new VolumeOptions { NoCopy = true } },
                        },
                    },
                }, creating.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                HelpersInUse.TryRemove(name, out _);
                throw;
            }

            try
            {
                ct.ThrowIfCancellationRequested();
                return await work(created.ID).ConfigureAwait(false);
            }
            finally
            {
                await CleanUpAsync(token => c.Api.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, token),
                    $"the helper container {Naming.ShortId(created.ID)}", couldNotRemove).ConfigureAwait(false);
                HelpersInUse.TryRemove(name, out _);
            }
        }

        /// <summary>
        /// Removes the helpers that a backup or restore left when its engine connection broke before it could remove
        /// them (they are never started, so they stay in the created state). A helper still in use is left alone: one
        /// of this process that is in use, one of a live process on this machine, or one of another machine that is
        /// younger than a day.
        /// </summary>
        private static async Task RemoveLeftoverHelpersAsync(EngineConnection c, CancellationToken ct)
        {
            var helpers = await c.Api.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [HelperLabel + "=volume"] = true },
                    ["status"] = new Dictionary<string, bool> { ["created"] = true },
                },
            }, ct).ConfigureAwait(false);
            foreach (ContainerListResponse helper in helpers)
            {
                string? owner = helper.Labels != null && helper.Labels.TryGetValue(HelperOwnerLabel, out string? o) ? o : null;
                string name = helper.Names != null && helper.Names.Count > 0 ? helper.Names[0].TrimStart('/') : helper.ID;
                if (!IsLeftOver(name, owner, helper.Created))
                {
                    continue;
                }

                try
                {
                    await c.Api.Containers.RemoveContainerAsync(helper.ID, new ContainerRemoveParameters { Force = true }, ct).ConfigureAwait(false);
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.StatusCode == HttpStatusCode.Conflict)
                {
                    // Another session removed it first.
                }
            }
        }

        private static bool IsLeftOver(string name, string? owner, DateTime created)
        {
            if (owner == Owner)
            {
                return !HelpersInUse.ContainsKey(name);
            }

            string[] parts = (owner ?? string.Empty).Split('/');
            if (parts.Length == 3 && parts[0] == Environment.MachineName && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                try
                {
                    using Process process = Process.GetProcessById(pid);
                    return OwnerOf(process) != owner;
                }
                catch (ArgumentException)
                {
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    // Not ours to look at: taken as alive.
                    return false;
                }
            }

            return DateTime.UtcNow - created.ToUniversalTime() > ForeignHelperAge;
        }

        /// <summary>A process as helper labels name it; the start time tells a reused pid from the process that made the helper.</summary>
        private static string OwnerOf(Process process) =>
            $"{Environment.MachineName}/{process.Id.ToString(CultureInfo.InvariantCulture)}/{process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}";

        /// <summary>
        /// Runs a clean-up call with a token of its own (the caller's may have fired); a failure goes to
        /// <paramref name="couldNotRemove"/> (what was left, and why), so that it never hides the real outcome.
        /// </summary>
        private static async Task CleanUpAsync(Func<CancellationToken, Task> call, string what, Action<string, Exception> couldNotRemove)
        {
            using var budget = new CancellationTokenSource(CleanupBudget);
            try
            {
                await call(budget.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (EngineAnswer.IsFailure(ex))
            {
                couldNotRemove(what, ex);
            }
        }

        private static void CheckInside(string path, string name)
        {
            string normalized = Normalize(name);
            bool escapes = name.StartsWith("/", StringComparison.Ordinal) || Array.IndexOf(normalized.Split('/'), "..") >= 0;
            if (escapes || !normalized.StartsWith(BackupRoot + "/", StringComparison.Ordinal))
            {
                throw VolumeArchiveException.NotABackup(path, $"the entry '{name}' is outside the folder '{BackupRoot}/'");
            }
        }

        private static string Normalize(string name)
        {
            string n = name.Replace('\\', '/');
            while (n.StartsWith("./", StringComparison.Ordinal))
            {
                n = n.Substring(2);
            }

            return n.TrimEnd('/');
        }
    }
}
