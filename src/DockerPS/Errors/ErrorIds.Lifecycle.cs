namespace DockerPS.Errors
{
    /// <summary>Error ids of the container lifecycle and create cmdlets.</summary>
    public static partial class ErrorIds
    {
        public const string InvalidRestartPolicy = "InvalidRestartPolicy";
        public const string InvalidMemorySpec = "InvalidMemorySpecification";
        public const string InvalidLinkSpec = "InvalidLinkSpecification";
        public const string InvalidDnsSpec = "InvalidDnsSpecification";
        public const string InvalidNetworkAlias = "InvalidNetworkAlias";
        public const string InvalidHealthCheck = "InvalidHealthCheck";
        public const string InvalidSignal = "InvalidSignal";
        public const string ConflictingParameters = "ConflictingParameters";
        public const string NothingToUpdate = "NothingToUpdate";
        public const string ContainerNotPaused = "ContainerNotPaused";
    }
}
