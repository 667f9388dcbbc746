using System;
using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Completers;

namespace DockerPS.Cmdlets.Volume
{
    /// <summary>Base of cmdlets that act on volumes given as objects or names.</summary>
    public abstract class VolumeTargetCmdlet : DockerCmdlet
    {
        protected const string ByName = "Name";
        protected const string ByObject = "InputObject";

        /// <summary>Volumes from Get-DockerVolume or New-DockerVolume.</summary>
        // By property name too, so a piped volume keeps its engine: see OneContainerCmdlet.InputObject.
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerVolume[]? InputObject { get; set; }

        /// <summary>Volume names.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VolumeNameCompleter))]
        public string[]? Name { get; set; }

        protected IEnumerable<Target<DockerVolume>> Targets()
        {
            if (InputObject != null)
            {
                foreach (DockerVolume volume in InputObject)
                {
                    yield return new Target<DockerVolume>(volume.Name, volume.DockerHost, volume);
                }

                yield break;
            }

            foreach (string name in Name ?? Array.Empty<string>())
            {
                yield return new Target<DockerVolume>(name, TargetHost(null), null);
            }
        }
    }
}
