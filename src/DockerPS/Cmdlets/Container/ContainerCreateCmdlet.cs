using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

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

        /// <summary>The image to create from: the piped image's reference, or -Image.</summary>
        protected string ImageReference => InputObject?.Reference ?? Image!;

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
        public string? Network { get; set; }

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
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }

            template = options;
        }

    }
}
