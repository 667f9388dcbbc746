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

        /// <summary>Only containers created from these images, or from images built on them (a reference or id).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[]? Ancestor { get; set; }

        /// <summary>Only containers attached to these networks (names or ids).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string[]? Network { get; set; }

        /// <summary>Only containers that mount these volumes (names) or have a mount at these paths.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VolumeNameCompleter))]
        public string[]? Volume { get; set; }

        /// <summary>Add the inspect data: state, health, config, mounts, networks, port bindings, restart count and policy.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

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

            foreach (var (key, values) in new[] { ("label", Label), ("ancestor", Ancestor), ("network", Network), ("volume", Volume) })
            {
                if (values != null && values.Length > 0)
                {
                    filters[key] = values;
                }
            }

            Func<DockerContainer, string, bool> byName = (c, n) => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(c.Name);
            Func<DockerContainer, string, bool> byId = (c, id) => id.Length > 0 && c.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase);
            string[]? wanted = Name ?? Id;
            Func<DockerContainer, string, bool> match = Name != null ? byName : byId;
            ForEachHost(connection =>
            {
                IReadOnlyList<DockerContainer> all = Await(ct => ContainerClient.ListAsync(connection, filters, ct));
                IEnumerable<DockerContainer> ordered = all.OrderByDescending(c => c.Created);
                if (Detailed)
                {
                    // Only the containers to be written are inspected; one removed in between is simply gone.
                    ordered = ordered.Where(c => wanted == null || wanted.Any(w => match(c, w)))
                        .Select(c => Await(ct => ContainerClient.WithDetailsAsync(connection, c, ct)))
                        .Where(c => c != null).Select(c => c!);
                }

                if (wanted != null)
                {
                    WriteMatches(ordered.ToList(), wanted, match, c => c.Id, ErrorIds.ContainerNotFound, "container", reportMissing: filters.Count == 0);
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
