using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Terminal;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Opens an interactive session in a running container, like docker exec -it (or docker attach with -Attach), in
    /// the console pwsh runs in; in a host without a console it says so at once.
    /// </summary>
    [Cmdlet(VerbsCommon.Enter, "DockerContainer", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class EnterDockerContainerCommand : OneContainerCmdlet
    {
        /// <summary>The program to run with its arguments; /bin/sh by default.</summary>
        [Parameter(Position = 1, ParameterSetName = ByName)]
        [Parameter(Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string[] Command { get; set; } = { "/bin/sh" };

        /// <summary>The user (name or uid[:gid]) to run as.</summary>
        [Parameter]
        public string? User { get; set; }

        /// <summary>The working directory for the program.</summary>
        [Parameter]
        [Alias("WorkDir")]
        public string? WorkingDirectory { get; set; }

        /// <summary>Attach to the container's main process instead of starting a new one (docker attach).</summary>
        [Parameter]
        public SwitchParameter Attach { get; set; }

        protected override void BeginProcessingCore()
        {
            var bound = MyInvocation.BoundParameters;
            if (Attach && (bound.ContainsKey(nameof(Command)) || bound.ContainsKey(nameof(User)) || bound.ContainsKey(nameof(WorkingDirectory))))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.ParameterConflict, ErrorCategory.InvalidArgument, null,
                    "-Attach joins the container's main process, so it takes no -Command, -User or -WorkingDirectory. Leave out -Attach to start a new process.").ToErrorRecord());
            }
        }

        protected override void ProcessRecordCore()
        {
            DockerHost host = ContainerHost;
            string reference = ContainerReference;
            string shown = ContainerShown;
            if (!ShouldProcess(shown, Attach ? "Attach to the main process" : $"Start an interactive '{string.Join(" ", Command)}'"))
            {
                return;
            }

            DockerPSException? unavailable = RawConsole.Unavailable(MyInvocation.MyCommand.Name);
            if (unavailable != null)
            {
                ThrowTerminatingError(unavailable.ToErrorRecord());
            }

            try
            {
                EngineConnection connection = Connect(host);
                DockerContainer container = Await(ct => ContainerClient.GetAsync(connection, reference, ct));
                if (container.State != ContainerState.Running)
                {
                    throw new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, shown,
                        $"Container '{shown}' is {container.State.ToString().ToLowerInvariant()}, not running. Start it first with Start-DockerContainer.");
                }

                var options = new InteractiveOptions { Command = Command, User = User, WorkingDirectory = WorkingDirectory, Attach = Attach };
                long? exitCode;
                using (RawConsole console = RawConsole.Open())
                {
                    exitCode = Await(ct => ContainerClient.InteractiveAsync(connection, container.Id, options, console, ct));
                }

                if (exitCode.HasValue)
                {
                    SessionState.PSVariable.Set("global:LASTEXITCODE", (int)exitCode.Value);
                }
                else
                {
                    WriteVerbose($"Detached from container '{shown}', which goes on running.");
                }
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                WriteItemError(ex, shown, ResourceKind.Container, host);
            }
        }
    }
}
