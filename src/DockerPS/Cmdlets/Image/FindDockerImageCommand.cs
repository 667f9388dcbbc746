using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>Searches the registry's index, like docker search.</summary>
    [Cmdlet(VerbsCommon.Find, "DockerImage")]
    [OutputType(typeof(DockerImageSearchResult))]
    public sealed class FindDockerImageCommand : DockerCmdlet
    {
        /// <summary>What to search for.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        public string Term { get; set; } = string.Empty;

        /// <summary>At most this many results (the index's default is 25).</summary>
        [Parameter]
        [ValidateRange(1, 100)]
        public int? Limit { get; set; }

        /// <summary>Only official images.</summary>
        [Parameter]
        public SwitchParameter Official { get; set; }

        /// <summary>Only images with at least this many stars.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? MinimumStars { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            EngineConnection connection = Connect(host);
            bool? official = Official.IsPresent ? true : (bool?)null;
            foreach (DockerImageSearchResult result in Await(ct => ImageClient.SearchAsync(connection, Term, Limit, official, MinimumStars, ct)))
            {
                WriteObject(result);
            }
        }
    }
}
