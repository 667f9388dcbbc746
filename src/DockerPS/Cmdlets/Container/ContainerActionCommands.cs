using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;
using DockerPS.Specs;

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

    /// <summary>
    /// Stops containers, like docker stop: SIGTERM, then SIGKILL after -Timeout seconds; -Force kills at once and
    /// -Signal sends any signal, like docker kill.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class StopDockerContainerCommand : ContainerTargetCmdlet
    {
        private string? signal;

        /// <summary>Seconds to wait after SIGTERM before SIGKILL (the engine's default is 10).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int? Timeout { get; set; }

        /// <summary>Kill the container at once with SIGKILL, like docker kill.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Send this signal instead (TERM, HUP, USR1, SIGINT, 9…), like docker kill --signal; it does not wait.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SignalCompleter))]
        public string? Signal { get; set; }

        /// <summary>Write the stopped container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessingCore()
        {
            try
            {
                string? conflict = Force && Signal != null ? "-Force sends SIGKILL, so it cannot go with -Signal"
                    : Timeout.HasValue && (Force || Signal != null) ? $"-Timeout is the wait before SIGKILL, which {(Force ? "-Force" : "-Signal")} does not do"
                    : null;
                if (conflict != null)
                {
                    throw new DockerPSException(ErrorIds.ConflictingParameters, ErrorCategory.InvalidArgument, Force ? "Force" : "Signal",
                        $"{conflict}. Use one of them.");
                }

                signal = Force ? "SIGKILL" : Signal == null ? null : SignalSpec.Parse(Signal);
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }
        }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            string shown = target.Item?.ToString() ?? target.Reference;
            if (!ShouldProcess(shown, signal == null ? "Stop container" : Force ? "Kill container (SIGKILL)" : $"Send {signal} to container"))
            {
                return;
            }

            if (signal == null)
            {
                uint? timeout = Timeout.HasValue ? (uint)Timeout.Value : (uint?)null;
                if (!Await(ct => ContainerClient.StopAsync(connection, target.Reference, timeout, ct)))
                {
                    WriteVerbose($"Container '{shown}' was not running.");
                }
            }
            else if (!Await(ct => ContainerClient.KillAsync(connection, target.Reference, signal, ct)))
            {
                if (!Force)
                {
                    // The signal went nowhere: unlike a stop, that is not what was asked.
                    throw new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, shown,
                        $"Container '{shown}' is not running, so it cannot get {signal}. Start it first with Start-DockerContainer.");
                }

                WriteVerbose($"Container '{shown}' was not running.");
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
