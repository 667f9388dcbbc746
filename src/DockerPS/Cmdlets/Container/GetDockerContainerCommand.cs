using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Lists containers, running or not, like docker ps -a.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerContainer", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerContainer))]
    public sealed class GetDockerContainerCommand : DockerQueryCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";

        /// <summary>Container names, wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Container ids, whole or a prefix.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("ContainerId")]
        public string[]? Id { get; set; }

        /// <summary>Only containers in these states.</summary>
        [Parameter]
        public ContainerState[]? Status { get; set; }

        /// <summary>Only containers with these labels: "key" or "key=value".</summary>
        [Parameter]
        public string[]? Label { get; set; }

        protected override void ProcessRecordCore()
        {
            var filters = new Dictionary<string, string[]>();
            if (Status != null && Status.Contains(ContainerState.Unknown))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.InvalidFilter, ErrorCategory.InvalidArgument, "Unknown",
                    "-Status Unknown cannot be queried; use Created, Running, Paused, Restarting, Removing, Exited or Dead.").ToErrorRecord());
            }

            if (Status != null && Status.Length > 0)
            {
                filters["status"] = Status.Select(s => s.ToString().ToLowerInvariant()).ToArray();
            }

            if (Label != null && Label.Length > 0)
            {
                filters["label"] = Label;
            }

            ForEachHost(connection =>
            {
                IReadOnlyList<DockerContainer> all = Await(ct => ContainerClient.ListAsync(connection, filters, ct));
                IEnumerable<DockerContainer> ordered = all.OrderByDescending(c => c.Created);
                if (Name != null)
                {
                    WriteMatches(ordered.ToList(), Name, (c, n) => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(c.Name), c => c.Id, ErrorIds.ContainerNotFound, "container", reportMissing: filters.Count == 0);
                }
                else if (Id != null)
                {
                    WriteMatches(ordered.ToList(), Id, (c, id) => id.Length > 0 && c.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase), c => c.Id, ErrorIds.ContainerNotFound, "container", reportMissing: filters.Count == 0);
                }
                else
                {
                    foreach (DockerContainer c in ordered)
                    {
                        WriteObject(c);
                    }
                }
            });
        }
    }
}
