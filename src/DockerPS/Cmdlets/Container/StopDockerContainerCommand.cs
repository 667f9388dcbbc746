using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Stops containers, like docker stop: SIGTERM, then SIGKILL after -Timeout seconds; -Force kills at once and
    /// -Signal sends any signal, like docker kill.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class StopDockerContainerCommand : ContainerActionCmdlet
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

        protected override bool ShouldAct(string shown) =>
            ShouldProcess(shown, signal == null ? "Stop container" : Force ? "Kill container (SIGKILL)" : $"Send {signal} to container");

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            if (signal == null)
            {
                uint? timeout = Timeout.HasValue ? (uint)Timeout.Value : (uint?)null;
                if (!await ContainerClient.StopAsync(connection, target.Reference, timeout, cancellationToken).ConfigureAwait(false))
                {
                    PostVerbose($"Container '{shown}' was not running.");
                }
            }
            else if (!await ContainerClient.KillAsync(connection, target.Reference, signal, cancellationToken).ConfigureAwait(false))
            {
                if (!Force)
                {
                    // The signal went nowhere: unlike a stop, that is not what was asked.
                    throw new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, shown,
                        $"Container '{shown}' is not running, so it cannot get {signal}. Start it first with Start-DockerContainer.");
                }

                PostVerbose($"Container '{shown}' was not running.");
            }

            return await PassThruAsync(PassThru, connection, target.Reference, cancellationToken).ConfigureAwait(false);
        }
    }
}
