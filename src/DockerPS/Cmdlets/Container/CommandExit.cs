using System;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// $LASTEXITCODE after Invoke-DockerContainer and Invoke-DockerExec, set as the docker CLI sets its exit status, so
    /// that a failure before the command ran never leaves the code of whatever ran before.
    /// </summary>
    internal static class CommandExit
    {
        /// <summary>docker run: the engine refused (no engine, no image, name in use, bad arguments).</summary>
        public const int RunRefused = 125;

        /// <summary>docker run: the command exists but cannot be run.</summary>
        public const int NotInvokable = 126;

        /// <summary>docker run: the command does not exist in the container.</summary>
        public const int NotFound = 127;

        /// <summary>docker exec: any failure before the command ran (no engine, no container, not running).</summary>
        public const int ExecRefused = 1;

        public static void Set(PSCmdlet cmdlet, long code) => cmdlet.SessionState.PSVariable.Set("global:LASTEXITCODE", (int)code);

        /// <summary>docker run's exit status for a run that failed before its command ran.</summary>
        public static int OfRunFailure(Exception exception) => exception is CommandStartException started
            ? started.Failure == CommandStartFailure.NotFound ? NotFound : started.Failure == CommandStartFailure.NotInvokable ? NotInvokable : RunRefused
            : RunRefused;

        /// <summary>docker exec's exit status for an exec that failed before its command ran: the engine's, else 1.</summary>
        public static int OfExecFailure(Exception exception) =>
            exception is CommandStartException started && started.ExitCode.HasValue ? (int)started.ExitCode.Value : ExecRefused;

        /// <summary>The error for a command the engine could not start; other failures are left to the error mapper.</summary>
        public static Exception Describe(Exception exception, string container, bool exec)
        {
            if (!(exception is CommandStartException started))
            {
                return exception;
            }

            string what = exec ? "Invoke-DockerExec -Command" : "-Command (or the image's entrypoint)";
            switch (started.Failure)
            {
                case CommandStartFailure.NotFound:
                    return new DockerPSException(exec ? ErrorIds.ExecCommandNotFound : ErrorIds.ContainerCommandNotFound, ErrorCategory.ObjectNotFound, container,
                        $"The command was not found in container '{container}' ({started.Message}). Check {what}: the program must exist in the container's filesystem or PATH.", started);
                case CommandStartFailure.NotInvokable:
                    return new DockerPSException(exec ? ErrorIds.ExecCommandNotInvokable : ErrorIds.ContainerCommandNotInvokable, ErrorCategory.PermissionDenied, container,
                        $"The command cannot be run in container '{container}' ({started.Message}). Check {what}: it must name an executable file, not a directory or a file without execute permission.", started);
                default:
                    return new DockerPSException(ErrorIds.ExecStartFailed, ErrorCategory.InvalidOperation, container,
                        $"The engine could not start the command in container '{container}' ({started.Message}). Check -User and -WorkingDirectory.", started);
            }
        }
    }
}
