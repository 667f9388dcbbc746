using System;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Creates a container, like docker create.</summary>
    [Cmdlet(VerbsCommon.New, "DockerContainer", DefaultParameterSetName = ByImageName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class NewDockerContainerCommand : ContainerCreateCmdlet
    {
        protected override void ProcessRecordCore()
        {
            DockerHost host = ImageHost;
            if (!ShouldProcess(Description, "Create container"))
            {
                return;
            }

            try
            {
                WriteObject(Create(Connect(host)));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, (object?)Name ?? ImageReference, ResourceKind.Container, host);
            }
        }
    }
}
