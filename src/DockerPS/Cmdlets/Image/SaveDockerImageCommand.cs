using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Saves images into one archive, like docker save: streamed, with progress, and atomic.</summary>
    [Cmdlet(VerbsData.Save, "DockerImage", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveDockerImageCommand : ImageTargetCmdlet
    {
        private readonly List<(string Reference, DockerHost Host, string ImageId, long Size)> images = new List<(string, DockerHost, string, long)>();
        private bool anyMissing;

        /// <summary>Where to write the archive.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ById)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Compress the archive with gzip (Import-DockerImage and docker load read it as is).</summary>
        [Parameter]
        public SwitchParameter Compress { get; set; }

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write the archive's FileInfo to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            // Images are checked as they arrive, so an unknown one is reported before anything is written.
            foreach (Target<DockerImage> target in Targets())
            {
                try
                {
                    EngineConnection connection = Connect(target.Host);
                    DockerImage image = Await(ct => ImageClient.InspectAsync(connection, target.Item?.Id ?? target.Reference, ct));
                    IEnumerable<string> references = target.Item != null && target.Item.RepoTags.Count > 0
                        ? target.Item.RepoTags
                        : new[] { target.Item == null ? target.Reference : image.Id };
                    foreach (string reference in references)
                    {
                        images.Add((reference, target.Host, image.Id, image.Size));
                    }
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    anyMissing = true;
                    WriteItemError(ex, target.Item?.ToString() ?? target.Reference, ResourceKind.Image, target.Host);
                }
            }
        }

        protected override void EndProcessingCore()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            if (anyMissing || images.Count == 0)
            {
                WriteWarning($"No archive was written at '{path}': {(images.Count == 0 ? "no image was given" : "some images could not be found")}.");
                return;
            }

            if (images.Select(i => i.Host).Distinct().Count() > 1)
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.ArchiveNotWritten, ErrorCategory.InvalidArgument, path,
                    "The images come from more than one engine; one archive can only hold images of one engine. Save each engine's images separately.").ToErrorRecord());
            }

            string[] references = images.Select(i => i.Reference).Distinct(StringComparer.Ordinal).ToArray();
            if (!ShouldProcess(path, $"Save {references.Length} image reference(s): {string.Join(", ", references)}"))
            {
                return;
            }

            DockerPSException? refused = AtomicFile.CheckDestination(path, Force);
            if (refused != null)
            {
                ThrowTerminatingError(refused.ToErrorRecord());
            }

            EngineConnection connection = Connect(images[0].Host);
            long expected = images.GroupBy(i => i.ImageId).Sum(g => g.First().Size);
            string temporary = AtomicFile.TemporaryPathFor(path);
            try
            {
                WriteArchive(connection, references, temporary, path, expected);
                AtomicFile.Commit(temporary, path);
            }
            catch (Exception ex)
            {
                AtomicFile.TryDelete(temporary);
                if (ex is PipelineStoppedException || (ex is OperationCanceledException && CancelToken.IsCancellationRequested))
                {
                    throw;
                }

                if (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(AtomicFile.WriteFailed(path, ex).ToErrorRecord());
                }

                throw;
            }
            finally
            {
                WriteProgress(new ProgressRecord(1, "Saving images", "Done") { RecordType = ProgressRecordType.Completed });
            }

            if (PassThru)
            {
                WriteObject(new FileInfo(path));
            }
        }

        private void WriteArchive(EngineConnection connection, string[] references, string temporary, string path, long expected)
        {
            var watch = Stopwatch.StartNew();
            long lastReport = -1;
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            using (Stream output = Compress ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file)
            {
                Await(ct => ImageClient.SaveAsync(connection, references, output, copied =>
                {
                    long now = watch.ElapsedMilliseconds;
                    if (now - lastReport < 250)
                    {
                        return;
                    }

                    lastReport = now;
                    Post(() => WriteProgress(Progress(path, copied, expected, watch.Elapsed)));
                }, ct));
            }
        }

        private static ProgressRecord Progress(string path, long copied, long expected, TimeSpan elapsed)
        {
            double mib = copied / 1048576.0;
            double rate = elapsed.TotalSeconds > 0 ? mib / elapsed.TotalSeconds : 0;
            var record = new ProgressRecord(1, "Saving images", $"{path}: {mib:F1} MiB of about {expected / 1048576.0:F1} MiB ({rate:F1} MiB/s)");
            if (expected > 0)
            {
                record.PercentComplete = (int)Math.Min(99, copied * 100 / expected);
            }

            return record;
        }
    }
}
