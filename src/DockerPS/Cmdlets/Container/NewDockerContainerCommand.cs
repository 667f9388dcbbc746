using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Completers;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>Creates a container, like docker create.</summary>
    [Cmdlet(VerbsCommon.New, "DockerContainer", DefaultParameterSetName = ByImageName, SupportsShouldProcess = true)]
    [OutputType(typeof(DockerContainer))]
    public sealed class NewDockerContainerCommand : DockerCmdlet
    {
        private const string ByImageName = "Image";
        private const string ByObject = "InputObject";
        private ContainerCreateOptions? template;

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

        protected override void ProcessRecordCore()
        {
            DockerHost host = TargetHost(InputObject?.DockerHost);
            string image = InputObject?.Reference ?? Image!;
            string shown = Name == null ? $"from image '{image}'" : $"'{Name}' from image '{image}'";
            if (!ShouldProcess(shown, "Create container"))
            {
                return;
            }

            ContainerCreateOptions options = template!;
            options.Image = image;
            try
            {
                EngineConnection connection = Connect(host);
                var created = Await(ct => ContainerClient.CreateAsync(connection, options, ct));
                foreach (string warning in created.Warnings.Where(w => !string.IsNullOrWhiteSpace(w)))
                {
                    WriteWarning(warning);
                }

                WriteObject(Await(ct => ContainerClient.GetAsync(connection, created.Id, ct)));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, (object?)Name ?? image, ResourceKind.Container, host);
            }
        }
    }
}
