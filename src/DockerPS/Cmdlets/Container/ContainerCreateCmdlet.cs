using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// The parameters of docker create, shared by New-DockerContainer and Invoke-DockerContainer: every specification
    /// is checked in BeginProcessing, so a bad one stops the cmdlet before anything is created.
    /// </summary>
    public abstract class ContainerCreateCmdlet : DockerCmdlet
    {
        protected const string ByImageName = "Image";
        protected const string ByObject = "InputObject";
        private ContainerCreateOptions? template;

        /// <summary>The checked options; set by BeginProcessing.</summary>
        private protected ContainerCreateOptions Template => template!;

        /// <summary>The image to create from: the reference the piped image stands for (its id when untagged), or -Image.</summary>
        protected string ImageReference => InputObject?.EngineName ?? Image!;

        /// <summary>The engine to create on: the piped image's, else -DockerHost or the default.</summary>
        protected DockerHost ImageHost => TargetHost(InputObject?.DockerHost);

        /// <summary>"'web' from image 'busybox'", for ShouldProcess and messages.</summary>
        protected string Description => Name == null ? $"from image '{ImageReference}'" : $"'{Name}' from image '{ImageReference}'";

        /// <summary>Creates the container, writes the engine's warnings, and returns the new container.</summary>
        private protected DockerContainer Create(EngineConnection connection)
        {
            ContainerCreateOptions options = Template;
            options.Image = ImageReference;
            var created = Await(ct => ContainerClient.CreateAsync(connection, options, ct));
            foreach (string warning in created.Warnings.Where(w => !string.IsNullOrWhiteSpace(w)))
            {
                WriteWarning(warning);
            }

            return Await(ct => ContainerClient.GetAsync(connection, created.Id, ct));
        }

        /// <summary>The image to create the container from, as repository:tag or id.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByImageName)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string? Image { get; set; }

        /// <summary>An image from Get-DockerImage; the container is created on that image's engine.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObject)]
        [ValidateNotNull]
        public DockerImage? InputObject { get; set; }

        /// <summary>The container's name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <summary>The command and its arguments, replacing the image's CMD.</summary>
        [Parameter(Position = 1, ParameterSetName = ByImageName)]
        [Parameter(Position = 0, ParameterSetName = ByObject)]
        public string[]? Command { get; set; }

        /// <summary>Replaces the image's ENTRYPOINT.</summary>
        [Parameter]
        public string[]? Entrypoint { get; set; }

        /// <summary>Environment variables: a hashtable, or NAME=value strings (NAME alone takes this session's value).</summary>
        [Parameter]
        [Alias("Env")]
        public object[]? Environment { get; set; }

        /// <summary>Ports to publish: 8080:80, 127.0.0.1:5000:5000, 127.0.0.1::5000, 5000/udp, 8000-8001:80-81.</summary>
        [Parameter]
        [Alias("Publish")]
        public string[]? Port { get; set; }

        /// <summary>Publish every port the image exposes on a free host port.</summary>
        [Parameter]
        public SwitchParameter PublishAllPorts { get; set; }

        /// <summary>Volumes and binds: my-vol:/data, /host/path:/data:ro, or /data for an anonymous volume.</summary>
        [Parameter]
        public string[]? Volume { get; set; }

        /// <summary>Labels: a hashtable or key=value strings.</summary>
        [Parameter]
        public object[]? Label { get; set; }

        /// <summary>The working directory inside the container.</summary>
        [Parameter]
        [Alias("WorkDir")]
        public string? WorkingDirectory { get; set; }

        /// <summary>The user (name or uid[:gid]) the command runs as.</summary>
        [Parameter]
        public string? User { get; set; }

        /// <summary>The container's host name.</summary>
        [Parameter]
        public string? Hostname { get; set; }

        /// <summary>The network to attach the container to (bridge, host, none or a network name).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(NetworkNameCompleter))]
        public string? Network { get; set; }

        /// <summary>Other names the container answers to on -Network, which must be a user-defined network.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? NetworkAlias { get; set; }

        /// <summary>Links to other containers, as name or name:alias: the container reaches them by the alias.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ContainerNameCompleter))]
        public string[]? Link { get; set; }

        /// <summary>DNS servers (IP addresses) instead of the engine's.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Dns { get; set; }

        /// <summary>DNS search domains.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? DnsSearch { get; set; }

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

        /// <summary>How many CPUs the container may use, such as 1.5.</summary>
        [Parameter]
        [ValidateRange(0.01, double.MaxValue)]
        public double? Cpus { get; set; }

        /// <summary>The health check: one string runs in the shell; several are a program and its arguments.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? HealthCheckCommand { get; set; }

        /// <summary>Time between health checks.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan? HealthCheckInterval { get; set; }

        /// <summary>How long one health check may run.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan? HealthCheckTimeout { get; set; }

        /// <summary>Time the container gets to start before failed checks count.</summary>
        [Parameter]
        [DurationTransformation]
        public TimeSpan? HealthCheckStartPeriod { get; set; }

        /// <summary>Failed checks in a row that make the container unhealthy.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? HealthCheckRetries { get; set; }

        /// <summary>Turn off the image's health check.</summary>
        [Parameter]
        public SwitchParameter NoHealthCheck { get; set; }

        /// <summary>Remove the container when it exits.</summary>
        [Parameter]
        public SwitchParameter AutoRemove { get; set; }

        /// <summary>Keep standard input open.</summary>
        [Parameter]
        public SwitchParameter Interactive { get; set; }

        /// <summary>Allocate a pseudo-terminal.</summary>
        [Parameter]
        public SwitchParameter Tty { get; set; }

        /// <summary>Mount the container's root filesystem read-only.</summary>
        [Parameter]
        public SwitchParameter ReadOnly { get; set; }

        protected override void BeginProcessingCore()
        {
            // Every specification is checked before anything is created.
            var options = new ContainerCreateOptions
            {
                Name = Name,
                Command = Command,
                Entrypoint = Entrypoint,
                WorkingDirectory = WorkingDirectory,
                User = User,
                Hostname = Hostname,
                Network = Network,
                AutoRemove = AutoRemove,
                PublishAllPorts = PublishAllPorts,
                Interactive = Interactive,
                Tty = Tty,
                ReadOnly = ReadOnly,
            };
            try
            {
                options.Environment.AddRange(KeyValueList.Parse(Environment, "environment", allowFromProcess: true));
                options.Labels.AddRange(KeyValueList.Parse(Label, "label", allowFromProcess: false));
                foreach (string spec in Port ?? Array.Empty<string>())
                {
                    options.Ports.AddRange(PortSpec.Parse(spec));
                }

                foreach (string spec in Volume ?? Array.Empty<string>())
                {
                    options.Volumes.Add(VolumeSpec.Parse(spec));
                }

                foreach (string alias in NetworkAlias ?? Array.Empty<string>())
                {
                    NetworkSpec.CheckAlias(alias, Network);
                    options.NetworkAliases.Add(alias);
                }

                options.Links.AddRange((Link ?? Array.Empty<string>()).Select(NetworkSpec.ParseLink));
                options.Dns.AddRange((Dns ?? Array.Empty<string>()).Select(NetworkSpec.ParseDnsServer));
                options.DnsSearch.AddRange((DnsSearch ?? Array.Empty<string>()).Select(NetworkSpec.ParseSearchDomain));
                options.Limits.RestartPolicy = RestartPolicySpec.Parse(RestartPolicy, MaximumRetryCount);
                if (AutoRemove && options.Limits.RestartPolicy != null && options.Limits.RestartPolicy.Policy != ContainerRestartPolicy.No)
                {
                    throw new DockerPSException(ErrorIds.ConflictingParameters, ErrorCategory.InvalidArgument, RestartPolicy,
                        $"-AutoRemove removes the container when it exits, so the engine cannot restart it with -RestartPolicy {RestartPolicy}. Use one or the other.");
                }

                options.Limits.Memory = ByteSize.Parse(Memory, nameof(Memory));
                options.Limits.Cpus = Cpus;
                options.HealthCheck = HealthCheck();
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }

            template = options;
        }

        /// <summary>The health check asked for; null to keep the image's.</summary>
        private HealthCheckOptions? HealthCheck()
        {
            var durations = new[]
            {
                (Name: nameof(HealthCheckInterval), Value: HealthCheckInterval),
                (Name: nameof(HealthCheckTimeout), Value: HealthCheckTimeout),
                (Name: nameof(HealthCheckStartPeriod), Value: HealthCheckStartPeriod),
            };
            bool any = HealthCheckCommand != null || HealthCheckRetries.HasValue || durations.Any(d => d.Value.HasValue);
            if (NoHealthCheck)
            {
                if (any)
                {
                    throw new DockerPSException(ErrorIds.InvalidHealthCheck, ErrorCategory.InvalidArgument, nameof(NoHealthCheck),
                        "-NoHealthCheck turns the health check off, so it cannot go with the other -HealthCheck parameters. Use one or the other.");
                }

                return new HealthCheckOptions { Test = new[] { "NONE" } };
            }

            if (!any)
            {
                return null;
            }

            foreach (var (name, value) in durations)
            {
                // The engine's smallest step; zero would silently mean its default.
                if (value.HasValue && value.Value < TimeSpan.FromMilliseconds(1))
                {
                    throw new DockerPSException(ErrorIds.InvalidHealthCheck, ErrorCategory.InvalidArgument, value.Value,
                        $"-{name} {value.Value} is too short: give at least 1 ms, such as '30s' or '00:00:30'.");
                }
            }

            IList<string>? test = null;
            if (HealthCheckCommand != null)
            {
                test = HealthCheckCommand.Length == 1
                    ? new[] { "CMD-SHELL", HealthCheckCommand[0] }
                    : new[] { "CMD" }.Concat(HealthCheckCommand).ToArray();
            }

            return new HealthCheckOptions
            {
                Test = test,
                Interval = HealthCheckInterval,
                Timeout = HealthCheckTimeout,
                StartPeriod = HealthCheckStartPeriod,
                Retries = HealthCheckRetries,
            };
        }
    }
}
