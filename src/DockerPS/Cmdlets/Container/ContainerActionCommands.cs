using System.Management.Automation;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Starts containers, like docker start.</summary>
    [Cmdlet(VerbsLifecycle.Start, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class StartDockerContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Write the started container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            if (!ShouldProcess(target.Item?.ToString() ?? target.Reference, "Start container"))
            {
                return;
            }

            bool started = Await(ct => ContainerClient.StartAsync(connection, target.Reference, ct));
            if (!started)
            {
                WriteVerbose($"Container '{target.Reference}' was already running.");
            }

            if (PassThru)
            {
                WriteObject(Refresh(connection, target.Reference));
            }
        }
    }

    /// <summary>Stops containers, like docker stop: SIGTERM, then SIGKILL after -Timeout seconds.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class StopDockerContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Seconds to wait after SIGTERM before SIGKILL (the engine's default is 10).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int? Timeout { get; set; }

        /// <summary>Write the stopped container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            if (!ShouldProcess(target.Item?.ToString() ?? target.Reference, "Stop container"))
            {
                return;
            }

            uint? timeout = Timeout.HasValue ? (uint)Timeout.Value : (uint?)null;
            bool stopped = Await(ct => ContainerClient.StopAsync(connection, target.Reference, timeout, ct));
            if (!stopped)
            {
                WriteVerbose($"Container '{target.Reference}' was not running.");
            }

            if (PassThru)
            {
                WriteObject(Refresh(connection, target.Reference));
            }
        }
    }

    /// <summary>Removes containers, like docker rm.</summary>
    [Cmdlet(VerbsCommon.Remove, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveDockerContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Remove running containers too (they are killed), and do not ask.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Also remove the container's anonymous volumes.</summary>
        [Parameter]
        public SwitchParameter RemoveVolumes { get; set; }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            if (!ShouldProcessOrForce(target.Item?.ToString() ?? target.Reference, "Remove container", Force))
            {
                return;
            }

            Await(ct => ContainerClient.RemoveAsync(connection, target.Reference, Force.IsPresent, RemoveVolumes.IsPresent, ct));
        }
    }
}
