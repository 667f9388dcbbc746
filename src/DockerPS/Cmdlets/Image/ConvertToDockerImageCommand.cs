using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Makes an image from a container's changes, like docker commit.</summary>
    [Cmdlet(VerbsData.ConvertTo, "DockerImage", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerImage))]
    public sealed class ConvertToDockerImageCommand : OneContainerCmdlet
    {
        /// <summary>Repository for the new image (none: an untagged image).</summary>
        [Parameter(Position = 1, ParameterSetName = ByName)]
        [Parameter(Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string? Repository { get; set; }

        /// <summary>Tag for the new image (latest when a repository is given without one).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Tag { get; set; }

        /// <summary>The author, such as "Jane Doe &lt;jane@example.com&gt;".</summary>
        [Parameter]
        public string? Author { get; set; }

        /// <summary>A commit message.</summary>
        [Parameter]
        public string? Message { get; set; }

        /// <summary>Dockerfile instructions to apply, such as 'CMD ["sh"]', 'ENV A=1' or 'EXPOSE 80'.</summary>
        [Parameter]
        public string[]? Change { get; set; }

        /// <summary>Do not pause the container while committing.</summary>
        [Parameter]
        public SwitchParameter NoPause { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = ContainerHost;
            string reference = ContainerReference;
            string shown = ContainerShown;
            string into = Repository == null ? "an untagged image" : $"'{Repository}:{Tag ?? "latest"}'";
            if (Tag != null && Repository == null)
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.InvalidReference, ErrorCategory.InvalidArgument, Tag,
                    "-Tag needs -Repository: give the repository the tag belongs to.").ToErrorRecord());
            }

            if (!ShouldProcess(shown, $"Commit into {into}"))
            {
                return;
            }

            try
            {
                EngineConnection connection = Connect(host);
                string id = Await(ct => ImageClient.CommitAsync(connection, reference, Repository, Repository == null ? null : Tag ?? "latest",
                    Author, Message, Change, !NoPause.IsPresent, ct));
                WriteObject(Await(ct => ImageClient.InspectAsync(connection, id, ct)));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Container, host);
            }
        }
    }
}
