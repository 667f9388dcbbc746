using System;

namespace DockerPS.Client
{
    /// <summary>Why the engine could not start a container's command, as the docker CLI tells the cases apart.</summary>
    internal enum CommandStartFailure
    {
        /// <summary>The executable (or the path named) does not exist in the container.</summary>
        NotFound,

        /// <summary>It exists but cannot be run (no execute permission, a directory).</summary>
        NotInvokable,

        /// <summary>Anything else: a bad user, working directory, runtime failure.</summary>
        Other,
    }

    /// <summary>The engine accepted a run or exec, but the command in the container never ran.</summary>
    internal sealed class CommandStartException : Exception
    {
        public CommandStartException(CommandStartFailure failure, string engineMessage, long? exitCode, Exception? innerException = null)
            : base(engineMessage, innerException)
        {
            Failure = failure;
            ExitCode = exitCode;
        }

        public CommandStartFailure Failure { get; }

        /// <summary>The exit code the engine recorded (exec), or null when it records none (run).</summary>
        public long? ExitCode { get; }

        /// <summary>
        /// Sorts the engine's message (its only account of the cause) the way the docker CLI does to pick docker run's
        /// exit code: 127 for not found, 126 for not invokable.
        /// </summary>
        public static CommandStartFailure Classify(string engineMessage)
        {
            string m = engineMessage.ToLowerInvariant();
            if (m.Contains("chdir to cwd") || m.Contains("unable to find user"))
            {
                // These name a file too, but it is not the command's.
                return CommandStartFailure.Other;
            }

            if (m.Contains("executable file not found") || m.Contains("no such file or directory") || m.Contains("system cannot find the file specified"))
            {
                return CommandStartFailure.NotFound;
            }

            return m.Contains("permission denied") || m.Contains("is a directory") ? CommandStartFailure.NotInvokable : CommandStartFailure.Other;
        }
    }
}
