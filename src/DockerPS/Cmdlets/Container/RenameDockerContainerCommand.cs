using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Renames a container, like docker rename.</summary>
    [Cmdlet(VerbsCommon.Rename, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class RenameDockerContainerCommand : OneContainerCmdlet
    {
        /// <summary>The container's new name.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string NewName { get; set; } = string.Empty;

        /// <summary>Write the renamed container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecordCore()
        {
            DockerHost host = ContainerHost;
            string shown = ContainerShown;
            if (!ShouldProcess(shown, $"Rename container to '{NewName}'"))
            {
                return;
            }

            try
            {
                EngineConnection connection = Connect(host);
                try
                {
                    Await(ct => ContainerClient.RenameAsync(connection, ContainerReference, NewName, ct));
                }
                catch (Exception ex) when (ErrorMapper.IsNameInUse(ex))
                {
                    throw ErrorMapper.NameInUse(ex, shown, "-NewName");
                }

                if (PassThru)
                {
                    WriteObject(Await(ct => ContainerClient.GetAsync(connection, NewName, ct)));
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Container, host);
            }
        }
    }
}
