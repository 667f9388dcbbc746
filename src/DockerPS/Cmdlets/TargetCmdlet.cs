using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets
{
    /// <summary>
    /// The rail of cmdlets that act on many named or piped items: ShouldProcess is asked on the pipeline thread as
    /// each item arrives, then up to -ThrottleLimit engine calls run at once (across engines too), and their results
    /// and errors are written on the pipeline thread in input order. Ctrl+C cancels every call in flight.
    /// </summary>
    public abstract class TargetCmdlet<T> : DockerCmdlet
        where T : class
    {
        /// <summary>Items in input order: the running engine call, what the user named, and its engine.</summary>
        private readonly Queue<(Task<object?> Call, string Shown, DockerHost Host)> pending = new Queue<(Task<object?>, string, DockerHost)>();
        private CancellationTokenSource? rail;
        private SemaphoreSlim? slots;

        /// <summary>How many items to act on at once; 1 acts on each before the next, in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>The kind of object, for error messages.</summary>
        private protected abstract ResourceKind Kind { get; }

        /// <summary>The items named or piped in this record.</summary>
        protected abstract IEnumerable<Target<T>> Targets();

        /// <summary>Asks ShouldProcess (or its -Force form) for one item; runs on the pipeline thread.</summary>
        protected abstract bool ShouldAct(string shown);

        /// <summary>The one engine call for one item; what it returns (if not null) is written to the pipeline.</summary>
        private protected abstract Task<object?> ActAsync(EngineConnection connection, Target<T> target, string shown, CancellationToken cancellationToken);

        protected override void ProcessRecordCore()
        {
            if (rail == null)
            {
                rail = CancellationTokenSource.CreateLinkedTokenSource(CancelToken);
                slots = new SemaphoreSlim(ThrottleLimit);
            }

            foreach (Target<T> target in Targets())
            {
                string shown = target.Item?.ToString() ?? target.Reference;
                if (!ShouldAct(shown))
                {
                    continue;
                }

                pending.Enqueue((RunAsync(target, shown, rail.Token), shown, target.Host));

                // Queued items wait for a slot; the backlog is bounded so that a long pipeline does not pile up tasks.
                // With one slot there is no backlog: each item ends before the next is asked for, as a serial loop does.
                int backlog = (ThrottleLimit - 1) * 4;
                while (pending.Count > backlog || (pending.Count > 0 && pending.Peek().Call.IsCompleted))
                {
                    WriteNext();
                }
            }
        }

        protected override void EndProcessingCore()
        {
            while (pending.Count > 0)
            {
                WriteNext();
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rail?.Cancel();
                rail?.Dispose();
                slots?.Dispose();
            }

            base.Dispose(disposing);
        }

        private async Task<object?> RunAsync(Target<T> target, string shown, CancellationToken cancellationToken)
        {
            await slots!.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                EngineConnection connection = await EngineConnection.GetAsync(target.Host, cancellationToken).ConfigureAwait(false);
                return await ActAsync(connection, target, shown, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }

        /// <summary>Waits for the oldest item (running posted writes meanwhile) and writes its result or error.</summary>
        private void WriteNext()
        {
            var (next, shown, host) = pending.Dequeue();
            try
            {
                Exception? failure = Await(async _ =>
                {
                    try
                    {
                        await next.ConfigureAwait(false);
                        return null;
                    }
                    catch (Exception ex)
                    {
                        return ex;
                    }
                });
                if (failure == null)
                {
                    if (next.Result != null)
                    {
                        WriteObject(next.Result);
                    }
                }
                else if (failure is OperationCanceledException && CancelToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                else if (IsItemFailure(failure))
                {
                    WriteItemError(failure, shown, Kind, host);
                }
                else
                {
                    ExceptionDispatchInfo.Capture(failure).Throw();
                }
            }
            catch
            {
                // Whatever ends the cmdlet (Ctrl+C, -ErrorAction Stop, a host failure) ends the calls still queued too.
                rail!.Cancel();
                throw;
            }
        }
    }
}
