using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Lists what changed in containers' file systems since they were created from their images, like docker diff.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerContainerChange", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerContainerChange))]
    public sealed class GetDockerContainerChangeCommand : ContainerTargetCmdlet
    {
        /// <summary>Only changes of these kinds.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public ContainerChangeKind[]? Kind { get; set; }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            DockerContainer container = Refresh(connection, target.Reference);
            IReadOnlyList<DockerContainerChange> changes = Await(ct => ContainerClient.ListChangesAsync(connection, container, ct));
            var wanted = new HashSet<ContainerChangeKind>(Kind ?? new[] { ContainerChangeKind.Added, ContainerChangeKind.Changed, ContainerChangeKind.Deleted });
            foreach (DockerContainerChange change in changes)
            {
                if (wanted.Contains(change.Kind))
                {
                    WriteObject(change);
                }
            }
        }
    }
}
