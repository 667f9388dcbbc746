using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>
    /// Lists images, like docker image ls: one object per reference (repository:tag), so an image with three tags is
    /// three objects with the same Id, and an untagged image is one object with no reference.
    /// </summary>
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
                    images = Await(ct => ImageClient.ListReferencesAsync(connection, filter, ct));
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
                    // One inspect per image, however many references it has.
                    var inspected = new Dictionary<string, DockerImage>(StringComparer.Ordinal);
                    ordered = ordered.Select(i =>
                    {
                        if (!inspected.TryGetValue(i.Id, out DockerImage? details))
                        {
                            inspected[i.Id] = details = Await(ct => ImageClient.InspectAsync(connection, i.Id, ct));
                        }

                        return details.WithListData(i);
                    }).ToList();
                }

                if (Id != null)
                {
                    WriteMatches(ordered.ToList(), Id, MatchesId, RowKey, ErrorIds.ImageNotFound, "image");
                }
                else if (Name != null)
                {
                    WriteMatches(ordered.ToList(), Name, MatchesName, RowKey, ErrorIds.ImageNotFound, "image");
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

        private static string RowKey(DockerImage row) => row.Id + " " + row.Reference;

        /// <summary>A name selects the references it matches (whole, or by repository), as docker image ls NAME does.</summary>
        private static bool MatchesName(DockerImage row, string name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            return row.Reference != null && (pattern.IsMatch(row.Reference) || pattern.IsMatch(row.Repository));
        }

        private static bool MatchesId(DockerImage image, string id) => Naming.IsIdPrefix(image.Id, id);
    }
}
