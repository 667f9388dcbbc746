using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Volume
{
    /// <summary>Lists volumes, like docker volume ls and inspect, with the containers that use each one.</summary>
    [Cmdlet(VerbsCommon.Get, "DockerVolume")]
    [OutputType(typeof(DockerVolume))]
    public sealed class GetDockerVolumeCommand : DockerQueryCmdlet
    {
        /// <summary>Volume names, wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(VolumeNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only volumes that no container uses.</summary>
        [Parameter]
        public SwitchParameter Dangling { get; set; }

        /// <summary>Only volumes of this driver.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Driver { get; set; }

        /// <summary>Only volumes with these labels: "key" or "key=value".</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Label { get; set; }

        protected override void ProcessRecordCore()
        {
            var filter = new VolumeFilter { Dangling = Dangling, Driver = Driver, Labels = Label };
            bool filtered = Dangling || Driver != null || Label != null;
            ForEachHost(connection =>
            {
                IReadOnlyList<DockerVolume> volumes = Await(ct => VolumeClient.ListAsync(connection, filter, ct));
                if (Name == null)
                {
                    foreach (DockerVolume volume in volumes)
                    {
                        WriteObject(volume);
                    }

                    return;
                }

                WriteMatches(volumes, Name, (v, n) => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(v.Name), v => v.Name,
                    ErrorIds.VolumeNotFound, "volume", reportMissing: !filtered);
            });
        }
    }
}
