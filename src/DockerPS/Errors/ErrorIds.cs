namespace DockerPS.Errors
{
    /// <summary>The error ids DockerPS puts on its ErrorRecords; scripts can match on them.</summary>
    public static partial class ErrorIds
    {
        public const string HostUnreachable = "DockerHostUnreachable";
        public const string HostInvalid = "DockerHostInvalid";
        public const string HostNotSupported = "DockerHostNotSupported";
        public const string EngineTooOld = "DockerEngineTooOld";
        public const string EngineError = "DockerEngineError";
        public const string EngineTimeout = "DockerEngineTimeout";
        public const string PermissionDenied = "DockerPermissionDenied";
        public const string InvalidRequest = "DockerInvalidRequest";
        public const string StreamFailed = "DockerStreamFailed";
        public const string HostNameNotResolved = "DockerHostNameNotResolved";
        public const string HostRequiresTls = "DockerHostRequiresTls";
        public const string TlsVerifyNotSupported = "DockerTlsVerifyNotSupported";
        public const string AssemblyLoadFailed = "DockerPSAssemblyLoadFailed";

        public const string ImageNotFound = "ImageNotFound";
        public const string ImageInUse = "ImageInUse";
        public const string ImageIdAmbiguous = "ImageIdAmbiguous";
        public const string ImageLoadFailed = "ImageLoadFailed";
        public const string ImageImportFailed = "ImageImportFailed";
        public const string ArchiveNotFound = "ArchiveNotFound";
        public const string ArchiveDestinationInvalid = "ArchiveDestinationInvalid";
        public const string ArchiveWriteFailed = "ArchiveWriteFailed";
        public const string ArchiveNotWritten = "ArchiveNotWritten";

        public const string ImagePullFailed = "ImagePullFailed";
        public const string ImagePushFailed = "ImagePushFailed";
        public const string ImageBuildFailed = "ImageBuildFailed";
        public const string InvalidReference = "InvalidImageReference";
        public const string InvalidFilter = "InvalidFilter";
        public const string RegistryLoginFailed = "RegistryLoginFailed";
        public const string RegistryAccessDenied = "RegistryAccessDenied";
        public const string RegistryCredentialRefused = "RegistryCredentialRefused";
        public const string RegistryUnreachable = "RegistryUnreachable";
        public const string RegistryNotConnected = "RegistryNotConnected";
        public const string BuildContextNotFound = "BuildContextNotFound";

        public const string ContainerNotFound = "ContainerNotFound";
        public const string ContainerNameInUse = "ContainerNameInUse";
        public const string ContainerIdAmbiguous = "ContainerIdAmbiguous";
        public const string NetworkIdAmbiguous = "NetworkIdAmbiguous";
        public const string NetworkDriverNotFound = "NetworkDriverNotFound";
        public const string SizeTooLarge = "SizeTooLarge";
        public const string ContainerConflict = "ContainerConflict";
        public const string ContainerNotRunning = "ContainerNotRunning";
        public const string InvalidPortSpec = "InvalidPortSpecification";
        public const string InvalidVolumeSpec = "InvalidVolumeSpecification";
        public const string InvalidEnvironment = "InvalidEnvironmentVariable";
        public const string ExecStdErr = "ExecStandardError";
    }
}
