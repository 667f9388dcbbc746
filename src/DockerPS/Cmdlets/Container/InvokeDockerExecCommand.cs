using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Runs a command in a running container, like docker exec: standard output lines go to the pipeline as they
    /// arrive, standard error lines to the error stream, and $LASTEXITCODE gets the exit code.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "DockerExec", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(string))]
    [OutputType(typeof(DockerExecResult))]
    public sealed class InvokeDockerExecCommand : OneContainerCmdlet
    {
        /// <summary>The command and its arguments.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByName)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByObject)]
        [ValidateNotNullOrEmpty]
        public string[] Command { get; set; } = Array.Empty<string>();

        /// <summary>The user (name or uid[:gid]) to run as.</summary>
        [Parameter]
        public string? User { get; set; }

        /// <summary>The working directory for the command.</summary>
        [Parameter]
        [Alias("WorkDir")]
        public string? WorkingDirectory { get; set; }

        /// <summary>Environment variables: a hashtable or NAME=value strings.</summary>
        [Parameter]
        [Alias("Env")]
        public object[]? Environment { get; set; }

        /// <summary>Run the command with extended privileges.</summary>
        [Parameter]
        public SwitchParameter Privileged { get; set; }

        /// <summary>
        /// Lines sent to the command's standard input, which is then closed. With -Container, objects piped to the
        /// cmdlet are these lines, as for a native command.
        /// </summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByName)]
        [Parameter(ParameterSetName = ByObject)]
        [AllowEmptyString]
        [AllowNull]
        public string[]? Input { get; set; }

        /// <summary>Return one result object (Container, ExitCode, StdOut, StdErr, Duration) instead of streaming lines.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private List<string>? environment;

        /// <summary>Standard input: -Input, or piped lines when -Container is named; set by BeginProcessing.</summary>
        private PipedLines stdin = null!;

        protected override void BeginProcessingCore()
        {
            try
            {
                environment = KeyValueList.Parse(Environment, "environment", allowFromProcess: true).Select(e => $"{e.Key}={e.Value}").ToList();
            }
            catch (DockerPSException ex)
            {
                CommandExit.Set(this, CommandExit.ExecRefused);
                ThrowTerminatingError(ex.ToErrorRecord());
            }

            stdin = PipedLines.Begin(this, nameof(Container), Input);
        }

        protected override void ProcessRecordCore() => stdin.Record(Input, Run);

        protected override void EndProcessingCore() => stdin.End(Run);

        private void Run(string[]? lines)
        {
            DockerHost host = ContainerHost;
            string reference = ContainerReference;
            string shown = ContainerShown;
            if (!ShouldProcess(shown, $"Run '{string.Join(" ", Command)}'"))
            {
                return;
            }

            DockerContainer container;
            EngineConnection connection;
            ExecOptions options;
            try
            {
                connection = Connect(host);
                container = Await(ct => ContainerClient.GetAsync(connection, reference, ct));
                if (container.State != ContainerState.Running)
                {
                    throw new DockerPSException(ErrorIds.ContainerNotRunning, ErrorCategory.InvalidOperation, shown,
                        $"Container '{shown}' is {container.State.ToString().ToLowerInvariant()}, not running. Start it first with Start-DockerContainer.");
                }

                options = new ExecOptions
                {
                    Command = Command,
                    User = User,
                    WorkingDirectory = WorkingDirectory,
                    Environment = environment,
                    Privileged = Privileged,
                    Input = lines == null ? null : ContainerClient.InputBytes(lines),
                };
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                Fail(ex, shown, host);
                return;
            }

            var output = new CommandOutput(this, Post, PassThru, ErrorIds.ExecStdErr, container.Name);
            var watch = Stopwatch.StartNew();
            long exitCode;
            try
            {
                exitCode = Await(ct => ContainerClient.ExecAsync(connection, container.Id, options, output.Line, ct));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                Fail(ex, container.Name, host);
                return;
            }

            watch.Stop();
            CommandExit.Set(this, exitCode);
            if (PassThru)
            {
                WriteObject(new DockerExecResult(container, Command, exitCode, output.StdOut, output.StdErr, watch.Elapsed));
            }
            else if (exitCode != 0)
            {
                WriteVerbose($"The command exited with code {exitCode}.");
            }
        }

        /// <summary>The command did not run: $LASTEXITCODE as docker exec sets it, then the error.</summary>
        private void Fail(Exception exception, string shown, DockerHost host)
        {
            CommandExit.Set(this, CommandExit.OfExecFailure(exception));
            WriteItemError(CommandExit.Describe(exception, shown, exec: true), shown, ResourceKind.Container, host);
        }
    }
}
