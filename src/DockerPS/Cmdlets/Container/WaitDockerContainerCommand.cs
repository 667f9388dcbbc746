using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Waits for containers to stop (or exit next, or be removed), like docker wait, and returns how they ended.</summary>
    [Cmdlet(VerbsLifecycle.Wait, "DockerContainer", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerContainerExitStatus))]
    public sealed class WaitDockerContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>The longest time-out a timer can hold.</summary>
        private static readonly TimeSpan MaximumTimeout = TimeSpan.FromDays(24);

        /// <summary>What to wait for: NotRunning (the default), NextExit or Removed.</summary>
        [Parameter]
        public ContainerWaitCondition Condition { get; set; } = ContainerWaitCondition.NotRunning;

        /// <summary>How long to wait for each container: a TimeSpan, or seconds; by default, as long as it takes.</summary>
        [Parameter]
        [SecondsOrTimeSpan]
        public TimeSpan? Timeout { get; set; }

        protected override void BeginProcessingCore()
        {
            if (Timeout.HasValue && (Timeout.Value <= TimeSpan.Zero || Timeout.Value > MaximumTimeout))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.InvalidTime, ErrorCategory.InvalidArgument, Timeout,
                    $"-Timeout must be more than zero and at most {MaximumTimeout.TotalDays} days; leave it out to wait as long as it takes.").ToErrorRecord());
            }
        }

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            DockerContainer container = await ContainerClient.GetAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            TimeSpan? limit = Timeout;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (limit.HasValue)
            {
                deadline.CancelAfter(limit.Value);
            }

            ContainerExit exit;
            try
            {
                exit = await ContainerClient.WaitAsync(connection, container.Id, Condition, () => PostVerbose(Waiting(container)), deadline.Token).ConfigureAwait(false);
            }
            catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new DockerPSException(ErrorIds.ContainerWaitTimeout, ErrorCategory.OperationTimeout, container.ToString(),
                    $"Container '{container}' did not reach the condition {Condition} within {limit}. It was left as it is: wait again with a larger -Timeout, or stop it with Stop-DockerContainer.");
            }

            return new DockerContainerExitStatus(container.DockerHost, container.ToString(), container.Id, exit.ExitCode, exit.Error);
        }

        private string Waiting(DockerContainer container) => Condition switch
        {
            ContainerWaitCondition.NextExit => $"Waiting for the next exit of container '{container}'.",
            ContainerWaitCondition.Removed => $"Waiting until container '{container}' is removed.",
            _ => $"Waiting until container '{container}' is not running.",
        };
    }
}
