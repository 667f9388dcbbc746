using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Where the output lines of a command in a container go: as pwsh treats a native command's (standard output to
    /// the pipeline, standard error to the error stream, each as it arrives), or gathered for a -PassThru result.
    /// </summary>
    internal sealed class CommandOutput
    {
        private readonly Cmdlet cmdlet;
        private readonly Action<Action> post;
        private readonly bool gather;
        private readonly string errorId;
        private readonly object target;
        private readonly object gate = new object();
        private readonly List<string> stdout = new List<string>();
        private readonly List<string> stderr = new List<string>();

        /// <param name="cmdlet">The cmdlet that writes.</param>
        /// <param name="post">Queues a write for the cmdlet's pipeline thread.</param>
        /// <param name="gather">Gather the lines instead of writing them.</param>
        /// <param name="errorId">The error id of standard error lines.</param>
        /// <param name="target">The target of standard error lines: the container.</param>
        public CommandOutput(Cmdlet cmdlet, Action<Action> post, bool gather, string errorId, object target)
        {
            this.cmdlet = cmdlet;
            this.post = post;
            this.gather = gather;
            this.errorId = errorId;
            this.target = target;
        }

        /// <summary>Standard output, lines joined by newlines (gathered only).</summary>
        public string StdOut
        {
            get
            {
                lock (gate)
                {
                    return string.Join("\n", stdout);
                }
            }
        }

        /// <summary>Standard error, lines joined by newlines (gathered only).</summary>
        public string StdErr
        {
            get
            {
                lock (gate)
                {
                    return string.Join("\n", stderr);
                }
            }
        }

        /// <summary>Takes one line (true for standard error); callable from any thread.</summary>
        public void Line(bool isError, string line)
        {
            if (gather)
            {
                lock (gate)
                {
                    (isError ? stderr : stdout).Add(line);
                }
            }
            else if (isError)
            {
                post(() => cmdlet.WriteError(new ErrorRecord(new RemoteException(line), errorId, ErrorCategory.FromStdErr, target)));
            }
            else
            {
                post(() => cmdlet.WriteObject(line));
            }
        }
    }
}
