using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;

namespace DockerPS.Cmdlets
{
    /// <summary>What the rail's cmdlets share.</summary>
    public static class TargetCmdlet
    {
        /// <summary>
        /// -ThrottleLimit when not given. Measured on a 2-core engine 20.10 (200 removals, 50 stops, one run each): 1, 8,
        /// 16, 32 and 64 at once removed in 1.39, 1.02, 0.92, 0.92 and 0.83 s and stopped in 8.15, 5.61, 5.37, 4.98 and
        /// 6.23 s; past 16 the engine, not the calls, sets the pace.
        /// </summary>
        public const int DefaultThrottleLimit = 16;
    }

    /// <summary>
    /// The rail of every cmdlet that acts on named or piped items: each item is approved on the pipeline thread as it
    /// arrives (ShouldProcess), then up to <see cref="Throttle"/> engine calls run at once (across engines too), and
    /// their results and errors are written on the pipeline thread in input order. Ctrl+C cancels every call in flight.
    /// A verb cmdlet holds only its parameters, its approval and its one engine call.
    /// </summary>
    public abstract class TargetCmdlet<T> : DockerCmdlet
        where T : class
    {
        /// <summary>Items in input order: the running engine call, what the user named, and its engine.</summary>
        private readonly Queue<(Task<object?> Call, string Shown, DockerHost Host)> pending = new Queue<(Task<object?>, string, DockerHost)>();
        private CancellationTokenSource? rail;
        private SemaphoreSlim? slots;

        /// <summary>The kind of object, for error messages.</summary>
        private protected abstract ResourceKind ItemKind { get; }

        /// <summary>
        /// How many items may be at the engine at once: -ThrottleLimit where a cmdlet offers it. With 1, each item ends
        /// before the next is approved, as a plain loop does (queries, waits, pushes, and output that streams).
        /// </summary>
        private protected virtual int Throttle => 1;

        /// <summary>The items named or piped in this record.</summary>
        protected abstract IEnumerable<Target<T>> Targets();

        /// <summary>
        /// Decides on the pipeline thread, in input order, whether to act on an item (ShouldProcess) and what to send:
        /// null skips it. What it throws becomes that item's error, in its place. By default every item goes as given.
        /// </summary>
        private protected virtual Target<T>? Approve(Target<T> target, string shown) => target;

        /// <summary>The one engine call for one item; what it returns (if not null) is written, a collection item by item.</summary>
        private protected abstract Task<object?> ActAsync(EngineConnection connection, Target<T> target, string shown, CancellationToken cancellationToken);

        protected override void ProcessRecordCore()
        {
            if (rail == null)
            {
                rail = CancellationTokenSource.CreateLinkedTokenSource(CancelToken);
                slots = new SemaphoreSlim(Throttle);
            }

            foreach (Target<T> target in Targets())
            {
                string shown = target.Item?.ToString() ?? target.Reference;
                Task<object?> call;
                try
                {
                    Target<T>? approved = Approve(target, shown);
                    if (approved == null)
                    {
                        continue;
                    }

                    call = RunAsync(approved.Value, shown, rail.Token);
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    call = Task.FromException<object?>(ex);
                }

                pending.Enqueue((call, shown, target.Host));

                // Queued items wait for a slot; the backlog is bounded so that a long pipeline does not pile up tasks.
                // With one slot there is no backlog: each item ends before the next is asked for, as a serial loop does.
                int backlog = (Throttle - 1) * 4;
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
                        WriteObject(next.Result, enumerateCollection: true);
                    }
                }
                else if (failure is OperationCanceledException && CancelToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                else if (IsItemFailure(failure))
                {
                    WriteItemError(failure, shown, ItemKind, host);
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
