using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Shows containers' resource use, like docker stats: one snapshot each by default, or a snapshot a second with
    /// -Stream until Ctrl+C. All containers are measured at the same time.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DockerContainerStats", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerContainerStats))]
    public sealed class GetDockerContainerStatsCommand : DockerQueryCmdlet
    {
        private const string ByName = "Name";
        private const string ById = "Id";
        private const string ByObject = "InputObject";

        private readonly List<(EngineConnection Connection, DockerContainer Container)> measured = new List<(EngineConnection, DockerContainer)>();
        private readonly HashSet<string> seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Containers from Get-DockerContainer or New-DockerContainer.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerContainer[]? InputObject { get; set; }

        /// <summary>Container names, wildcards allowed; none means every running container.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Container ids, whole or a prefix.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("ContainerId")]
        public string[]? Id { get; set; }

        /// <summary>Include containers that are not running (when listing them all or matching a wildcard).</summary>
        [Parameter(ParameterSetName = ByName)]
        public SwitchParameter All { get; set; }

        /// <summary>Keep writing a snapshot of each container every second, until Ctrl+C.</summary>
        [Parameter]
        public SwitchParameter Stream { get; set; }

        protected override void ProcessRecordCore()
        {
            if (InputObject != null)
            {
                foreach (DockerContainer container in InputObject)
                {
                    try
                    {
                        Add(Connect(container.DockerHost), container);
                    }
                    catch (Exception ex) when (IsItemFailure(ex))
                    {
                        WriteItemError(ex, container.ToString(), ResourceKind.Container, container.DockerHost);
                    }
                }

                return;
            }

            ForEachHost(connection =>
            {
                IReadOnlyList<DockerContainer> all = Await(ct => ContainerClient.ListAsync(connection, null, ct));
                IEnumerable<DockerContainer> ordered = all.OrderByDescending(c => c.Created);
                if (Id != null)
                {
                    Select(connection, ordered, Id, (c, id) => c.Id.StartsWith(id, StringComparison.OrdinalIgnoreCase), literal: true);
                }
                else if (Name != null)
                {
                    foreach (string name in Name)
                    {
                        // A plain name is measured whatever its state, as docker stats does; a wildcard finds running ones unless -All.
                        bool literal = !WildcardPattern.ContainsWildcardCharacters(name);
                        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                        Select(connection, ordered, new[] { name }, (c, _) => pattern.IsMatch(c.Name), literal);
                    }
                }
                else
                {
                    foreach (DockerContainer container in ordered.Where(c => All || c.State == ContainerState.Running))
                    {
                        Add(connection, container);
                    }
                }
            });
        }

        protected override void EndProcessingCore()
        {
            if (measured.Count == 0)
            {
                return;
            }

            // Each snapshot takes the engine about a second (two samples); all containers are measured at once.
            bool stream = Stream.IsPresent;
            Await(ct => Task.WhenAll(measured.Select(m => MeasureAsync(m.Connection, m.Container, stream, ct))));
        }

        private async Task MeasureAsync(EngineConnection connection, DockerContainer container, bool stream, System.Threading.CancellationToken ct)
        {
            try
            {
                await ContainerClient.StatsAsync(connection, container, stream, snapshot => Post(() => WriteObject(snapshot)), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ErrorMapper.IsEngineFailure(ex))
            {
                // One container that went away must not end the others' measurements.
                Post(() => WriteItemError(ex, container.ToString(), ResourceKind.Container, container.DockerHost));
            }
        }

        private void Select(EngineConnection connection, IEnumerable<DockerContainer> containers, string[] wanted, Func<DockerContainer, string, bool> match, bool literal)
        {
            foreach (string w in wanted)
            {
                bool any = false;
                foreach (DockerContainer container in containers.Where(c => match(c, w)))
                {
                    if (literal || All || container.State == ContainerState.Running)
                    {
                        any = true;
                        Add(connection, container);
                    }
                }

                if (!any && literal)
                {
                    string where = RequestedHosts.Count > 1 ? $" on {connection.Host}" : string.Empty;
                    WriteError(new DockerPSException(ErrorIds.ContainerNotFound, ErrorCategory.ObjectNotFound, w,
                        $"No container matches '{w}'{where}. Run Get-DockerContainer to see the containers on the engine.").ToErrorRecord());
                }
            }
        }

        private void Add(EngineConnection connection, DockerContainer container)
        {
            if (seen.Add(connection.Host.Key + "/" + container.Id))
            {
                measured.Add((connection, container));
            }
        }
    }
}
