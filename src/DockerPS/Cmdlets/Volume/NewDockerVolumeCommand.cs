using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Volume
{
    /// <summary>Creates a volume, like docker volume create; a name that is taken is an error.</summary>
    [Cmdlet(VerbsCommon.New, "DockerVolume", SupportsShouldProcess = true)]
    [OutputType(typeof(DockerVolume))]
    public sealed class NewDockerVolumeCommand : DockerCmdlet
    {
        private IDictionary<string, string> driverOptions = new Dictionary<string, string>();
        private IDictionary<string, string> labels = new Dictionary<string, string>();

        /// <summary>The volume's name; without it the engine makes an anonymous volume with a random name.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The volume driver (the engine's default is local).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Driver { get; set; }

        /// <summary>Options for the driver, such as @{ type = 'tmpfs'; device = 'tmpfs' } for local.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable? DriverOption { get; set; }

        /// <summary>Labels: a hashtable or key=value strings.</summary>
        [Parameter]
        public object[]? Label { get; set; }

        protected override void BeginProcessingCore()
        {
            try
            {
                driverOptions = Settings.ToDictionary(DriverOption == null ? null : new object[] { DriverOption }, "driver option");
                labels = Settings.ToDictionary(Label, "label");
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }
        }

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(null);
            string shown = Name ?? "(anonymous volume)";
            if (!ShouldProcess(shown, "Create volume"))
            {
                return;
            }

            try
            {
                EngineConnection connection = Connect(host);
                WriteObject(Await(ct => VolumeClient.CreateAsync(connection, Name, Driver, driverOptions, labels, ct)));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Volume, host);
            }
        }
    }
}
