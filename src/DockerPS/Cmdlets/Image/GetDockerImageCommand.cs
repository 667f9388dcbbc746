using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Lists images, like docker image ls.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerImage", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerImage))]
    public sealed class GetDockerImageCommand : DockerQueryCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";

        /// <summary>Image references (repository:tag or repository), wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Image ids, whole or a prefix (with or without sha256:).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("ImageId")]
        public string[]? Id { get; set; }

        /// <summary>Also list intermediate images.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>Only images with no tag.</summary>
        [Parameter]
        public SwitchParameter Dangling { get; set; }

        /// <summary>Only images with these labels: "key" or "key=value" (all must match).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        /// <summary>Only images created before this image (a reference or id).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string? Before { get; set; }

        /// <summary>Only images created after this image (a reference or id).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string? Since { get; set; }

        /// <summary>The engine's own reference filter (repository[:tag] with * and ? as the engine reads them).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Reference { get; set; }

        /// <summary>Add the inspect data: config, environment, command, exposed ports, layers.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        protected override void ProcessRecordCore()
        {
            ForEachHost(connection =>
            {
                var filter = new ImageFilter
                {
                    All = All.IsPresent,
                    Dangling = Dangling.IsPresent,
                    Labels = Label,
                    Before = Before,
                    Since = Since,
                    References = Reference,
                };
                IReadOnlyList<DockerImage> images;
                try
                {
                    images = Await(ct => ImageClient.ListAsync(connection, filter, ct));
                }
                catch (Exception ex) when (ErrorMapper.IsNotFound(ex))
                {
                    // -Before and -Since name an image; the engine answers 404 when it does not exist.
                    ThrowTerminatingError(new DockerPSException(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, Before ?? Since,
                        $"The image '{Before ?? Since}' given to -Before or -Since was not found.", ex).ToErrorRecord());
                    return;
                }

                IEnumerable<DockerImage> ordered = images.OrderByDescending(i => i.Created);
                if (Detailed)
                {
                    ordered = ordered.Select(i => Await(ct => ImageClient.InspectAsync(connection, i.Id, ct)).WithListData(i)).ToList();
                }
                if (Id != null)
                {
                    WriteMatches(ordered.ToList(), Id, MatchesId, i => i.Id, ErrorIds.ImageNotFound, "image");
                }
                else if (Name != null)
                {
                    WriteMatches(ordered.ToList(), Name, MatchesName, i => i.Id, ErrorIds.ImageNotFound, "image");
                }
                else
                {
                    foreach (DockerImage image in ordered)
                    {
                        WriteObject(image);
                    }
                }
            });
        }

        private static bool MatchesName(DockerImage image, string name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            foreach (string reference in image.RepoTags)
            {
                if (pattern.IsMatch(reference) || pattern.IsMatch(Naming.SplitReference(reference).Repository))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool MatchesId(DockerImage image, string id)
        {
            string wanted = id.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? id.Substring(7) : id;
            string have = image.Id.StartsWith("sha256:", StringComparison.Ordinal) ? image.Id.Substring(7) : image.Id;
            return wanted.Length > 0 && have.StartsWith(wanted, StringComparison.OrdinalIgnoreCase);
        }
    }
}
