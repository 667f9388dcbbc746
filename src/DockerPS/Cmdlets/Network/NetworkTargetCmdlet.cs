using System;
using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Completers;

namespace DockerPS.Cmdlets.Network
{
    /// <summary>Base of cmdlets that act on networks given as objects, names or ids.</summary>
    public abstract class NetworkTargetCmdlet : DockerCmdlet
    {
        protected const string ByName = "Name";
        protected const string ById = "Id";
        protected const string ByObject = "InputObject";

        /// <summary>Networks from Get-DockerNetwork or New-DockerNetwork.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerNetwork[]? InputObject { get; set; }

        /// <summary>Network names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Network ids, whole or a unique prefix.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ById)]
        [ValidateNotNullOrEmpty]
        [Alias("NetworkId")]
        public string[]? Id { get; set; }

        protected IEnumerable<Target<DockerNetwork>> Targets()
        {
            if (InputObject != null)
            {
                foreach (DockerNetwork network in InputObject)
                {
                    yield return new Target<DockerNetwork>(network.Id, network.DockerHost, network);
                }

                yield break;
            }

            foreach (string reference in (IEnumerable<string>?)Name ?? Id ?? Array.Empty<string>())
            {
                yield return new Target<DockerNetwork>(reference, TargetHost(null), null);
            }
        }
    }
}
