using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Creates and starts a container, like docker run: by default it streams the container's output as it comes
    /// (standard output to the pipeline, standard error to the error stream), waits for it to exit and sets
    /// $LASTEXITCODE; -Detach returns the started container at once; -Remove removes it at the end, also after Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "DockerContainer", DefaultParameterSetName = ByImageName, SupportsShouldProcess = true)]
    [OutputType(typeof(string))]
    [OutputType(typeof(DockerExecResult))]
    [OutputType(typeof(DockerContainer))]
    public sealed class InvokeDockerContainerCommand : ContainerCreateCmdlet
    {
        /// <summary>How long the removal after Ctrl+C may take, so that stopping stays within a second.</summary>
        private static readonly TimeSpan RemovalOnStop = TimeSpan.FromMilliseconds(800);

        private PendingRemoval? pendingRemoval;

        /// <summary>Start the container and return it at once, without waiting or streaming its output.</summary>
        [Parameter]
        [Alias("d")]
        public SwitchParameter Detach { get; set; }

        /// <summary>Remove the container when it has exited, and after Ctrl+C (like docker run --rm).</summary>
        [Parameter]
        [Alias("rm")]
        public SwitchParameter Remove { get; set; }

        /// <summary>
        /// Lines sent to the container's standard input, which is then closed. With -Image, objects piped to the
        /// cmdlet are these lines, as for a native command.
        /// </summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByImageName)]
        [Parameter(ParameterSetName = ByObject)]
        [AllowEmptyString]
        [AllowNull]
        public string[]? Input { get; set; }

        /// <summary>Return one result object (Container, ExitCode, StdOut, StdErr, Duration) instead of streaming lines.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Standard input: -Input, or piped lines when -Image is named; set by BeginProcessing.</summary>
        private PipedLines stdin = null!;

        protected override void BeginProcessingCore()
        {
            try
            {
                Prepare();
            }
            catch (Exception)
            {
                // Bad arguments: docker run's status for them (ThrowTerminatingError surfaces as any exception type).
                CommandExit.Set(this, CommandExit.RunRefused);
                throw;
            }
        }

        private void Prepare()
        {
            stdin = PipedLines.Begin(this, nameof(Image), Input);

            if (Detach && (Input != null || stdin.Gathering || PassThru))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.ParameterConflict, ErrorCategory.InvalidArgument, null,
                    "-Detach returns the container at once, so it takes neither -Input (nor piped input lines) nor -PassThru. Leave out -Detach to stream the output, or pipe the container to Invoke-DockerExec.").ToErrorRecord());
            }

            base.BeginProcessingCore();
            if (!Detach && (Input != null || stdin.Gathering || Template.Interactive))
            {
                // As docker run -i: standard input stays open for the attach, and closes when the input has been sent,
                // at once when there is none (-Interactive alone), as docker run -i </dev/null.
                Template.Interactive = true;
                Template.StdinOnce = true;
            }

            if (Detach && Remove)
            {
                // Nothing of ours waits for a detached container: the engine removes it when it exits.
                Template.AutoRemove = true;
            }
        }

        protected override void ProcessRecordCore() => stdin.Record(Input, RunOne);

        protected override void EndProcessingCore() => stdin.End(RunOne);

        private void RunOne(string[]? lines)
        {
            DockerHost host = ImageHost;
            if (!ShouldProcess(Description, Detach ? "Create and start container" : "Run container"))
            {
                return;
            }

            DockerContainer? container = null;
            try
            {
                EngineConnection connection = Connect(host);
                container = Create(connection);
                if (Detach)
                {
                    Await(ct => ContainerClient.StartAsync(connection, container.Id, ct));
                    WriteObject(Await(ct => ContainerClient.GetAsync(connection, container.Id, ct)));
                    return;
                }

                if (Remove)
                {
                    Volatile.Write(ref pendingRemoval, new PendingRemoval(connection, container.Id));
                }

                Run(connection, container, lines);
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                // The command did not run: $LASTEXITCODE as docker run sets it, then the error.
                CommandExit.Set(this, CommandExit.OfRunFailure(ex));
                string shown = container?.ToString() ?? Name ?? ImageReference;
                WriteItemError(CommandExit.Describe(ex, shown, exec: false), shown, ResourceKind.Container, host);
            }
            finally
            {
                RemoveIfAsked(container);
            }
        }

        protected override void StopProcessing()
        {
            base.StopProcessing();

            // Ctrl+C must not leave a -Remove container behind; the pipeline thread may be blocked in a read until the
            // cancellation reaches it, so the removal starts here at once.
            Interlocked.Exchange(ref pendingRemoval, null)?.RemoveWithin(RemovalOnStop);
        }

        private void Run(EngineConnection connection, DockerContainer container, string[]? lines)
        {
            var output = new CommandOutput(this, Post, PassThru, ErrorIds.ContainerStdErr, container.ToString());
            byte[]? bytes = Template.Interactive ? ContainerClient.InputBytes(lines ?? Array.Empty<string>()) : null;
            var watch = Stopwatch.StartNew();
            long exitCode = Await(ct => ContainerClient.RunAttachedAsync(connection, container, bytes, output.Line, ct));
            watch.Stop();
            CommandExit.Set(this, exitCode);
            if (PassThru)
            {
                DockerContainer exited = Refreshed(connection, container);
                string[] command = Command ?? new[] { exited.Command };
                WriteObject(new DockerExecResult(exited, command, exitCode, output.StdOut, output.StdErr, watch.Elapsed));
            }
            else if (exitCode != 0)
            {
                WriteVerbose($"Container '{container}' exited with code {exitCode}.");
            }
        }

        /// <summary>The container as it is now; as it was, if the engine has removed it already (-AutoRemove).</summary>
        private DockerContainer Refreshed(EngineConnection connection, DockerContainer container)
        {
            try
            {
                return Await(ct => ContainerClient.GetAsync(connection, container.Id, ct));
            }
            catch (Exception ex) when (ErrorMapper.IsNotFound(ex))
            {
                return container;
            }
        }

        private void RemoveIfAsked(DockerContainer? container)
        {
            PendingRemoval? removal = Interlocked.Exchange(ref pendingRemoval, null);
            if (removal == null || container == null)
            {
                return;
            }

            if (CancelToken.IsCancellationRequested)
            {
                // Stopping: the cmdlet's token is cancelled, and nothing can be written any more.
                removal.RemoveWithin(RemovalOnStop);
                return;
            }

            try
            {
                Await(ct => removal.RemoveAsync(ct));
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                // Not found: the engine removed it already (-AutoRemove), which is what was asked.
                if (!ErrorMapper.IsNotFound(ex))
                {
                    WriteItemError(ex, container.ToString(), ResourceKind.Container, container.DockerHost);
                }
            }
        }

        /// <summary>A -Remove container still to be removed.</summary>
        private sealed class PendingRemoval
        {
            private readonly EngineConnection connection;
            private readonly string id;

            public PendingRemoval(EngineConnection connection, string id)
            {
                this.connection = connection;
                this.id = id;
            }

            /// <summary>Kills and removes the container with its anonymous volumes, as docker run --rm does.</summary>
            public Task RemoveAsync(CancellationToken ct) => ContainerClient.RemoveAsync(connection, id, force: true, volumes: true, ct);

            /// <summary>Removes it with a token of its own, for when the cmdlet's is cancelled; gives up after the limit.</summary>
            public void RemoveWithin(TimeSpan limit)
            {
                using var bounded = new CancellationTokenSource(limit);
                try
                {
                    Task.Run(() => RemoveAsync(bounded.Token)).GetAwaiter().GetResult();
                }
                catch (Exception ex) when (ErrorMapper.IsEngineFailure(ex))
                {
                    // Nothing can be reported while the pipeline stops; Get-DockerContainer shows a container left behind.
                }
            }
        }
    }
}
