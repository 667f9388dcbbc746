using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Changes the restart policy and resource limits of containers, like docker update.</summary>
    [Cmdlet(VerbsData.Update, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class UpdateDockerContainerCommand : ContainerActionCmdlet
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

        protected override bool ShouldAct(string shown) => ShouldProcess(shown, $"Update container ({limits})");

        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            var warnings = await ContainerClient.UpdateAsync(connection, target.Reference, limits!, cancellationToken).ConfigureAwait(false);
            foreach (string warning in warnings.Where(w => !string.IsNullOrWhiteSpace(w)))
            {
                Post(() => WriteWarning(warning));
            }

            return await PassThruAsync(PassThru, connection, target.Reference, cancellationToken).ConfigureAwait(false);
        }
    }
}
