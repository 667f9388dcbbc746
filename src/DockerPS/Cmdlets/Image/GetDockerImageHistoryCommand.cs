using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Lists the layers of an image, newest first, like docker history.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerImageHistory", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerImageLayer))]
    public sealed class GetDockerImageHistoryCommand : ImageTargetCmdlet
    {
        /// <summary>Piped images already shown: several references of one image have one history.</summary>
        private readonly HashSet<(DockerHost, string)> seen = new HashSet<(DockerHost, string)>();

        private protected override Target<DockerImage>? Approve(Target<DockerImage> target, string shown) =>
            target.Item != null && !seen.Add((target.Host, target.Item.Id)) ? (Target<DockerImage>?)null : target;

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerImage> target, string shown, CancellationToken cancellationToken) =>
            await ImageClient.HistoryAsync(connection, target.Item?.Id ?? target.Reference, target.Reference, cancellationToken).ConfigureAwait(false);
    }
}
