using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Archives;
using DockerPS.Errors;

namespace DockerPS.Cmdlets
{
    /// <summary>The parameters every archive-writing cmdlet (Save-DockerImage, Export-DockerContainer, Backup-DockerVolume) declares.</summary>
    internal interface IArchiveWriter
    {
        /// <summary>Where to write the archive.</summary>
        string Path { get; }

        /// <summary>Compress the archive with gzip.</summary>
        SwitchParameter Compress { get; }

        /// <summary>Overwrite an existing file.</summary>
        SwitchParameter Force { get; }

        /// <summary>Write the archive's FileInfo to the pipeline.</summary>
        SwitchParameter PassThru { get; }
    }

    /// <summary>
    /// The one way the archive cmdlets write: refuse a bad destination, stream through an atomic file with byte
    /// progress, hand back the FileInfo on -PassThru.
    /// </summary>
    internal static class ArchiveDestination
    {
        /// <summary>The file system path the cmdlet's -Path stands for.</summary>
        public static string Resolve(PSCmdlet cmdlet, IArchiveWriter writer) => cmdlet.GetUnresolvedProviderPathFromPSPath(writer.Path);

        /// <summary>
        /// Writes the archive. A destination that cannot take it (a folder, a missing folder, an existing file without
        /// -Force) is a bad -Path, not a failed item, so it ends the command with ArchiveDestinationInvalid before the
        /// engine is asked for anything. <paramref name="run"/> is the cmdlet's Await, so progress drains on the pipeline thread.
        /// </summary>
        public static void Write(PSCmdlet cmdlet, IArchiveWriter writer, string path, ByteProgress progress,
            Action<Func<CancellationToken, Task>> run, Func<Stream, CancellationToken, Task> fill)
        {
            Refuse(cmdlet, path, writer.Force);
            try
            {
                run(ct => AtomicFile.WriteAsync(path, writer.Compress, output => fill(output, ct), ct));
            }
            finally
            {
                cmdlet.WriteProgress(progress.Completed());
            }

            if (writer.PassThru)
            {
                cmdlet.WriteObject(new FileInfo(path));
            }
        }

        private static void Refuse(PSCmdlet cmdlet, string path, bool force)
        {
            DockerPSException? refused = null;
            if (Directory.Exists(path))
            {
                refused = new DockerPSException(ErrorIds.ArchiveDestinationInvalid, ErrorCategory.InvalidArgument, path,
                    $"'{path}' is a folder. Give a file path for the archive to -Path, such as '{System.IO.Path.Combine(path, "archive.tar")}'.");
            }
            else if (System.IO.Path.GetDirectoryName(path) is string folder && folder.Length > 0 && !Directory.Exists(folder))
            {
                refused = new DockerPSException(ErrorIds.ArchiveDestinationInvalid, ErrorCategory.WriteError, path,
                    $"The folder '{folder}' does not exist. Create it first, or choose another -Path.");
            }
            else if (File.Exists(path) && !force)
            {
                refused = new DockerPSException(ErrorIds.ArchiveDestinationInvalid, ErrorCategory.ResourceExists, path,
                    $"'{path}' already exists. Use -Force to overwrite it.");
            }

            if (refused != null)
            {
                cmdlet.ThrowTerminatingError(refused.ToErrorRecord());
            }
        }
    }
}
