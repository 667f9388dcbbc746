using System;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Restarts containers, like docker restart: stopped ones are started, running ones stopped and started.</summary>
    [Cmdlet(VerbsLifecycle.Restart, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class RestartDockerContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Seconds to wait after SIGTERM before SIGKILL (the engine's default is 10).</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int? Timeout { get; set; }

        /// <summary>Write the restarted container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            if (!ShouldProcess(target.Item?.ToString() ?? target.Reference, "Restart container"))
            {
                return;
            }

            uint? timeout = Timeout.HasValue ? (uint)Timeout.Value : (uint?)null;
            Await(ct => ContainerClient.RestartAsync(connection, target.Reference, timeout, ct));
            if (PassThru)
            {
                WriteObject(Refresh(connection, target.Reference));
            }
        }
    }

    /// <summary>Suspends (freezes) every process of running containers, like docker pause.</summary>
    [Cmdlet(VerbsLifecycle.Suspend, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class SuspendDockerContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Write the paused container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            string shown = target.Item?.ToString() ?? target.Reference;
            if (!ShouldProcess(shown, "Suspend container"))
            {
                return;
            }

            ContainerState? refused = Await(ct => ContainerClient.PauseAsync(connection, target.Reference, ct));
            if (refused == ContainerState.Paused)
            {
                WriteVerbose($"Container '{shown}' was already paused.");
            }
            else if (refused.HasValue)
            {
                throw new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, shown,
                    $"Container '{shown}' is {refused.Value.ToString().ToLowerInvariant()}, not running: only a running container can be suspended. Start it first with Start-DockerContainer.");
            }

            if (PassThru)
            {
                WriteObject(Refresh(connection, target.Reference));
            }
        }
    }

    /// <summary>Resumes suspended containers, like docker unpause.</summary>
    [Cmdlet(VerbsLifecycle.Resume, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class ResumeDockerContainerCommand : ContainerTargetCmdlet
    {
        /// <summary>Write the resumed container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            string shown = target.Item?.ToString() ?? target.Reference;
            if (!ShouldProcess(shown, "Resume container"))
            {
                return;
            }

            ContainerState? refused = Await(ct => ContainerClient.UnpauseAsync(connection, target.Reference, ct));
            if (refused == ContainerState.Running)
            {
                WriteVerbose($"Container '{shown}' was not paused.");
            }
            else if (refused.HasValue)
            {
                throw new DockerPSException(ErrorIds.ContainerNotPaused, ErrorCategory.InvalidOperation, shown,
                    $"Container '{shown}' is {refused.Value.ToString().ToLowerInvariant()}, not paused: there is nothing to resume. Start it with Start-DockerContainer.");
            }

            if (PassThru)
            {
                WriteObject(Refresh(connection, target.Reference));
            }
        }
    }

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

    /// <summary>Changes the restart policy and resource limits of containers, like docker update.</summary>
    [Cmdlet(VerbsData.Update, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class UpdateDockerContainerCommand : ContainerTargetCmdlet
    {
        private ResourceLimits? limits;

        /// <summary>When the engine restarts the container: No, Always, UnlessStopped or OnFailure (also docker's 'on-failure:3').</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RestartPolicyCompleter))]
        public string? RestartPolicy { get; set; }

        /// <summary>With -RestartPolicy OnFailure: the most restarts to try (0: no limit).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? MaximumRetryCount { get; set; }

        /// <summary>Memory limit: bytes, a PowerShell size such as 512MB, or a string such as '512m' or '1g'.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? Memory { get; set; }

        /// <summary>Memory plus swap limit, in the same forms as -Memory; -1 for unlimited swap.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? MemorySwap { get; set; }

        /// <summary>Soft memory limit, in the same forms as -Memory.</summary>
        [Parameter]
        [ValidateNotNull]
        public object? MemoryReservation { get; set; }

        /// <summary>How many CPUs the container may use, such as 1.5.</summary>
        [Parameter]
        [ValidateRange(0.01, double.MaxValue)]
        public double? Cpus { get; set; }

        /// <summary>Relative CPU weight against other containers (1024 is the default).</summary>
        [Parameter]
        [ValidateRange(2, 262144)]
        public int? CpuShares { get; set; }

        /// <summary>The CPUs the container may run on, such as 0-1 or 0,2.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CpusetCpus { get; set; }

        /// <summary>Most processes the container may have; -1 for no limit.</summary>
        [Parameter]
        [ValidateRange(-1, long.MaxValue)]
        public long? PidsLimit { get; set; }

        /// <summary>Write the updated container to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessingCore()
        {
            try
            {
                var wanted = new ResourceLimits
                {
                    RestartPolicy = RestartPolicySpec.Parse(RestartPolicy, MaximumRetryCount),
                    Memory = ByteSize.Parse(Memory, nameof(Memory)),
                    MemorySwap = ByteSize.Parse(MemorySwap, nameof(MemorySwap), allowUnlimited: true),
                    MemoryReservation = ByteSize.Parse(MemoryReservation, nameof(MemoryReservation)),
                    Cpus = Cpus,
                    CpuShares = CpuShares,
                    CpusetCpus = CpusetCpus,
                    PidsLimit = PidsLimit,
                };
                if (wanted.IsEmpty)
                {
                    throw new DockerPSException(ErrorIds.NothingToUpdate, ErrorCategory.InvalidArgument, null,
                        "Nothing to change: give -RestartPolicy, -Memory, -MemorySwap, -MemoryReservation, -Cpus, -CpuShares, -CpusetCpus or -PidsLimit.");
                }

                limits = wanted;
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }
        }

        private protected override void ActOn(EngineConnection connection, Target<DockerContainer> target)
        {
            ResourceLimits wanted = limits!;
            if (!ShouldProcess(target.Item?.ToString() ?? target.Reference, $"Update container ({wanted})"))
            {
                return;
            }

            var warnings = Await(ct => ContainerClient.UpdateAsync(connection, target.Reference, wanted, ct));
            foreach (string warning in warnings.Where(w => !string.IsNullOrWhiteSpace(w)))
            {
                WriteWarning(warning);
            }

            if (PassThru)
            {
                WriteObject(Refresh(connection, target.Reference));
            }
        }
    }
}
