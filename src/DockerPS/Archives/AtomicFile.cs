using System;
using System.IO;
using System.IO.Compression;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Errors;

namespace DockerPS.Archives
{
    /// <summary>
    /// Writing a file so that the path never holds a partial one: bytes go to a temporary file beside it, which is
    /// renamed over the path only when whole, and deleted on failure or Ctrl+C.
    /// </summary>
    internal static class AtomicFile
    {
        /// <summary>
        /// Writes the file at the path through a temporary one beside it, gzip-compressed when asked. The temporary
        /// file is renamed over the path only when <paramref name="fill"/> ends well, and deleted otherwise; a file
        /// system failure (not Ctrl+C) is an ArchiveWriteFailed error, a broken engine stream an EngineConnectionBroken one.
        /// </summary>
        public static async Task WriteAsync(string path, bool compress, Func<Stream, Task> fill, CancellationToken ct)
        {
            string temporary = TemporaryPathFor(path);
            try
            {
                using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                using (Stream output = compress ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file)
                {
                    await fill(output).ConfigureAwait(false);
                }

                Commit(temporary, path);
            }
            catch (Exception ex)
            {
                TryDelete(temporary);
                if (ex is EngineStreamBrokenException broken && !ct.IsCancellationRequested)
                {
                    throw broken.WithRemovedFile(path);
                }

                if ((ex is IOException || ex is UnauthorizedAccessException) && !ct.IsCancellationRequested)
                {
                    throw WriteFailed(path, ex);
                }

                throw;
            }
        }

        /// <summary>A hidden name beside the path that never passes for the finished file.</summary>
        public static string TemporaryPathFor(string path) =>
            Path.Combine(Path.GetDirectoryName(path) ?? ".", "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");

        /// <summary>Puts the finished temporary file at the path in one rename.</summary>
        public static void Commit(string temporary, string path)
        {
            if (File.Exists(path))
            {
                File.Replace(temporary, path, null);
            }
            else
            {
                File.Move(temporary, path);
            }
        }

        /// <summary>The error for a write that failed; nothing is left at the path.</summary>
        public static DockerPSException WriteFailed(string path, Exception ex) =>
            new DockerPSException(ErrorIds.ArchiveWriteFailed, ErrorCategory.WriteError, path,
                $"Could not write '{path}': {Wording.Clause(ex.Message)}. Nothing was left at that path.", ex);

        public static void TryDelete(string file)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: the partial file has a name that never passes for the archive.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }
    }
}
