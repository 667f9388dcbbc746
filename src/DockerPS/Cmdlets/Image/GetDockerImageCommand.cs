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
        [Alias("Reference")]
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

        protected override void ProcessRecordCore()
        {
            foreach (DockerHost host in TargetHosts())
            {
                EngineConnection connection = Connect(host);
                IReadOnlyList<DockerImage> images = Await(ct => ImageClient.ListAsync(connection, All.IsPresent, Dangling.IsPresent, ct));
                IEnumerable<DockerImage> ordered = images.OrderByDescending(i => i.Created);
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
            }
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
