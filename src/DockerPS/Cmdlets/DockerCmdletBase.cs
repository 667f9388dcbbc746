using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets
{
    /// <summary>
    /// The rails every DockerPS cmdlet runs on: engine connections, a token that Ctrl+C cancels, async work run to
    /// completion while the pipeline thread drains what it queues, and the one error mapping.
    /// </summary>
    public abstract class DockerCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private readonly BlockingCollection<Action> pipelineQueue = new BlockingCollection<Action>();
        private bool disposed;

        /// <summary>Cancelled by Ctrl+C (StopProcessing).</summary>
        protected CancellationToken CancelToken => stopping.Token;

        /// <summary>The hosts named with -DockerHost; empty means the default host.</summary>
        protected abstract IReadOnlyList<DockerHost> RequestedHosts { get; }

        protected sealed override void BeginProcessing() => Guard(BeginProcessingCore);

        protected sealed override void ProcessRecord() => Guard(ProcessRecordCore);

        protected sealed override void EndProcessing() => Guard(EndProcessingCore);

        protected virtual void BeginProcessingCore()
        {
        }

        protected abstract void ProcessRecordCore();

        protected virtual void EndProcessingCore()
        {
        }

        protected override void StopProcessing() => stopping.Cancel();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (!disposed && disposing)
            {
                stopping.Dispose();
                pipelineQueue.Dispose();
            }

            disposed = true;
        }

        /// <summary>The host an object came from wins; then -DockerHost; then the session's default.</summary>
        protected DockerHost TargetHost(DockerHost? fromObject)
        {
            if (fromObject != null)
            {
                return fromObject;
            }

            return RequestedHosts.Count > 0 ? RequestedHosts[0] : HostResolver.ResolveDefault();
        }

        /// <summary>Every host the cmdlet should query.</summary>
        protected IReadOnlyList<DockerHost> TargetHosts() =>
            RequestedHosts.Count > 0 ? RequestedHosts : new[] { HostResolver.ResolveDefault() };

        /// <summary>The session's connection to a host; an engine that cannot be used is a DockerPSException, worded by Errors/.</summary>
        private protected EngineConnection Connect(DockerHost host)
        {
            try
            {
                return Await(ct => EngineConnection.GetAsync(host, ct));
            }
            catch (EngineHostException unusable)
            {
                throw ErrorMapper.ToDockerPSException(unusable, host, ResourceKind.Engine);
            }
        }

        /// <summary>
        /// Runs async work on the thread pool and, meanwhile, runs on this (the pipeline) thread whatever the work
        /// queues with <see cref="Post"/>. Returns when the work ends; Ctrl+C ends it through the token.
        /// </summary>
        protected T Await<T>(Func<CancellationToken, Task<T>> work)
        {
            Task<T> task = Task.Run(() => work(CancelToken));
            task.ContinueWith(_ => TryAdd(() => { }), TaskScheduler.Default);
            while (!task.IsCompleted || pipelineQueue.Count > 0)
            {
                Action action = pipelineQueue.Take();
                try
                {
                    action();
                }
                catch (Exception)
                {
                    // A write that throws (-ErrorAction Stop, a stopped pipeline) ends the work too: nothing runs on unseen.
                    stopping.Cancel();
                    try
                    {
                        task.Wait();
                    }
                    catch (AggregateException)
                    {
                        // The work's own failure matters less than the one being thrown.
                    }

                    while (pipelineQueue.TryTake(out _))
                    {
                    }

                    throw;
                }
            }

            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected void Await(Func<CancellationToken, Task> work) =>
            Await<bool>(async ct =>
            {
                await work(ct).ConfigureAwait(false);
                return true;
            });

        /// <summary>Queues an action (WriteObject, WriteProgress, WriteError…) for the pipeline thread.</summary>
        protected void Post(Action action) => TryAdd(action);

        /// <summary>Queues a progress record for the pipeline thread (callable from any thread).</summary>
        internal void PostProgress(ProgressRecord record) => Post(() => WriteProgress(record));

        /// <summary>Queues a verbose line for the pipeline thread (callable from any thread).</summary>
        internal void PostVerbose(string text) => Post(() => WriteVerbose(text));

        /// <summary>
        /// ShouldProcess, except that -Force alone (without -WhatIf or -Confirm) skips the prompt, so that unattended
        /// scripts can remove things without answering questions.
        /// </summary>
        protected bool ShouldProcessOrForce(string target, string action, bool force)
        {
            if (force && !IsWhatIf() && !MyInvocation.BoundParameters.ContainsKey("Confirm"))
            {
                return true;
            }

            return ShouldProcess(target, action);
        }

        /// <summary>True when -WhatIf (or $WhatIfPreference) is in force for this call.</summary>
        protected bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value))
            {
                return LanguagePrimitives.IsTrue(value is SwitchParameter sp ? sp.IsPresent : value);
            }

            object? preference = GetVariableValue("WhatIfPreference");
            return LanguagePrimitives.IsTrue(preference is PSObject ps ? ps.BaseObject : preference);
        }

        /// <summary>
        /// True for failures that belong to one item. Ctrl+C is not, nor are PowerShell's own errors (a stopped pipeline,
        /// -ErrorAction Stop, a prompt a non-interactive host refuses): those surface unchanged, as from any cmdlet.
        /// </summary>
        protected bool IsItemFailure(Exception exception) =>
            !(exception is IContainsErrorRecord) && !(exception is OperationCanceledException && CancelToken.IsCancellationRequested);

        /// <summary>Writes an item's failure and goes on; connection failures end the cmdlet.</summary>
        protected void WriteItemError(Exception exception, object? target, ResourceKind kind, DockerHost? host = null)
        {
            DockerPSException mapped = ErrorMapper.ToDockerPSException(exception, target, kind, host?.ToString());
            if (host != null && ErrorMapper.TryGetIdPrefix(mapped, out ResourceKind prefixKind, out string prefix))
            {
                mapped = NameAmbiguousMatches(mapped, host, prefixKind, prefix);
            }

            if (mapped.IsHostFailure || mapped.ErrorId == ErrorIds.HostUnreachable)
            {
                ThrowTerminatingError(mapped.ToErrorRecord());
            }

            WriteError(mapped.ToErrorRecord());
        }

        /// <summary>Asks the engine which objects an id prefix matches: several make the error an ambiguous id that names them.</summary>
        private DockerPSException NameAmbiguousMatches(DockerPSException mapped, DockerHost host, ResourceKind kind, string prefix)
        {
            IReadOnlyList<string> matches;
            try
            {
                EngineConnection connection = Connect(host);
                matches = Await(ct => IdPrefixLookup.MatchesAsync(connection, kind, prefix, ct));
            }
            catch (Exception ex) when (ErrorMapper.IsEngineFailure(ex) && !CancelToken.IsCancellationRequested)
            {
                // The first error stands without the list.
                return mapped;
            }

            bool engineSaidAmbiguous = mapped.ErrorId != ErrorIds.ImageNotFound;
            return engineSaidAmbiguous || matches.Count > 1
                ? ErrorMapper.Ambiguous(kind, prefix, mapped.Target, matches, mapped.InnerException)
                : mapped;
        }

        private void TryAdd(Action action)
        {
            try
            {
                pipelineQueue.Add(action);
            }
            catch (ObjectDisposedException)
            {
                // The cmdlet has ended; late output from cancelled work has nowhere to go.
            }
        }

        private void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (PipelineStoppedException)
            {
                throw;
            }
            catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (ErrorMapper.IsEngineFailure(ex))
            {
                ThrowTerminatingError(ErrorMapper.ToDockerPSException(ex, null, ResourceKind.Engine).ToErrorRecord());
            }
        }
    }

    /// <summary>Base of cmdlets that act on one host.</summary>
    public abstract class DockerCmdlet : DockerCmdletBase
    {
        /// <summary>The engine to use: a DockerHost or a URI string. Piped objects use the host they came from.</summary>
        [Parameter]
        [ValidateNotNull]
        public DockerHost? DockerHost { get; set; }

        protected override IReadOnlyList<DockerHost> RequestedHosts =>
            DockerHost == null ? Array.Empty<DockerHost>() : new[] { DockerHost };
    }

    /// <summary>Base of Get-* cmdlets, which can query several hosts at once.</summary>
    public abstract class DockerQueryCmdlet : DockerCmdletBase
    {
        /// <summary>The engines to query: DockerHost objects or URI strings.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public DockerHost[]? DockerHost { get; set; }

        protected override IReadOnlyList<DockerHost> RequestedHosts =>
            DockerHost ?? (IReadOnlyList<DockerHost>)Array.Empty<DockerHost>();

        /// <summary>The host being queried by <see cref="ForEachHost"/>.</summary>
        protected DockerHost? CurrentHost { get; private set; }

        /// <summary>
        /// Runs the query on each host. With one host, an engine that cannot be used ends the cmdlet; with several,
        /// it is that host's error and the others are still queried.
        /// </summary>
        private protected void ForEachHost(Action<EngineConnection> query)
        {
            IReadOnlyList<DockerHost> hosts = TargetHosts();
            foreach (DockerHost host in hosts)
            {
                CurrentHost = host;
                EngineConnection connection;
                try
                {
                    connection = Connect(host);
                }
                catch (DockerPSException ex) when (hosts.Count > 1)
                {
                    WriteError(ex.ToErrorRecord());
                    continue;
                }

                query(connection);
            }
        }

        /// <summary>
        /// Writes each item that matches any of the wanted names or ids, once; a wanted value without wildcards that
        /// matched nothing is an ObjectNotFound error, as Get-Item does for a missing path.
        /// </summary>
        protected void WriteMatches<T>(IReadOnlyList<T> items, string[] wanted, Func<T, string, bool> match, Func<T, string> key,
            string notFoundId, string kind, bool reportMissing = true)
        {
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (string w in wanted)
            {
                bool any = false;
                foreach (T item in items)
                {
                    if (!match(item, w))
                    {
                        continue;
                    }

                    any = true;
                    if (written.Add(key(item)))
                    {
                        WriteObject(item);
                    }
                }

                if (!any && reportMissing && !WildcardPattern.ContainsWildcardCharacters(w))
                {
                    string where = RequestedHosts.Count > 1 ? $" on {CurrentHost}" : string.Empty;
                    WriteError(new DockerPSException(notFoundId, ErrorCategory.ObjectNotFound, w,
                        $"No {kind} matches '{w}'{where}. Run {MyInvocation.MyCommand.Name} without it to see the {kind}s on the engine.").ToErrorRecord());
                }
            }
        }
    }
}
