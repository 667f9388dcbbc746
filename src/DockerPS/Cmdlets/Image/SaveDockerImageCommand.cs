using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Archives;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Saves images into one archive, like docker save: streamed, with progress, and atomic.</summary>
    [Cmdlet(VerbsData.Save, "DockerImage", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveDockerImageCommand : ImageTargetCmdlet, IArchiveWriter
    {
        private readonly List<(string Reference, DockerHost Host, string ImageId, long Size)> images = new List<(string, DockerHost, string, long)>();
        private int asked;

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

        /// <summary>Counts the images asked for, so that the end knows whether each was found.</summary>
        private protected override Target<DockerImage>? Approve(Target<DockerImage> target, string shown)
        {
            asked++;
            return target;
        }

        /// <summary>Images are checked as they arrive, so an unknown one is reported before anything is written.</summary>
        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerImage> target, string shown, CancellationToken cancellationToken)
        {
            // A piped image is saved under the reference it stands for (its id when untagged), a name as given;
            // several references of one image all go into the archive, as with docker save.
            DockerImage image = await ImageClient.InspectAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            lock (images)
            {
                images.Add((target.Reference, target.Host, image.Id, image.Size));
            }

            return null;
        }

        protected override void EndProcessingCore()
        {
            base.EndProcessingCore();
            bool anyMissing = images.Count < asked;
            string path = ArchiveDestination.Resolve(this, this);
            if (anyMissing || images.Count == 0)
            {
                string why = !anyMissing ? "no image was given" : images.Count == 0 ? "no image given could be found" : "some images given could not be found";
                WriteWarning($"No archive was written at '{path}': {why}.");
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

            EngineConnection connection = Connect(images[0].Host);
            long expected = images.GroupBy(i => i.ImageId).Sum(g => g.First().Size);
            var progress = new ByteProgress(1, "Saving images", path, expected, PostProgress);
            ArchiveDestination.Write(this, this, path, progress, Await,
                (output, ct) => ImageClient.SaveAsync(connection, references, output, progress.Report, ct));
        }
    }
}
