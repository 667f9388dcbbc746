namespace DockerPS.Errors
{
    public static partial class ErrorIds
    {
        public const string ContainerStdErr = "ContainerStandardError";
        public const string ContainerWaitTimeout = "ContainerWaitTimeout";
        public const string ConsoleRequired = "InteractiveConsoleRequired";
        public const string ConsoleNotSupported = "InteractiveConsoleNotSupported";
        public const string InvalidTime = "InvalidTimeArgument";
        public const string ParameterConflict = "ConflictingParameters";
        public const string ContainerCommandNotFound = "ContainerCommandNotFound";
        public const string ContainerCommandNotInvokable = "ContainerCommandNotInvokable";
        public const string ExecCommandNotFound = "ExecCommandNotFound";
        public const string ExecCommandNotInvokable = "ExecCommandNotInvokable";
        public const string ExecStartFailed = "ExecStartFailed";
    }
}
