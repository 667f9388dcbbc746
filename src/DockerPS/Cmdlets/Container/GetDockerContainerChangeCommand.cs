using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            DockerContainer container = await ContainerClient.GetAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<DockerContainerChange> changes = await ContainerClient.ListChangesAsync(connection, container, cancellationToken).ConfigureAwait(false);
            var wanted = new HashSet<ContainerChangeKind>(Kind ?? new[] { ContainerChangeKind.Added, ContainerChangeKind.Changed, ContainerChangeKind.Deleted });
            return changes.Where(c => wanted.Contains(c.Kind)).ToList();
        }
    }
}
