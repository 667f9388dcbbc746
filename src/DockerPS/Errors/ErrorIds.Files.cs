namespace DockerPS.Errors
{
    /// <summary>Error ids of the container file cmdlets (copy, export), of reading archives, and of engine streams that break.</summary>
    public static partial class ErrorIds
    {
        public const string ContainerPathNotFound = "ContainerPathNotFound";
        public const string LocalPathNotFound = "LocalPathNotFound";
        public const string InvalidContainerPath = "InvalidContainerPath";
        public const string CopyDestinationInvalid = "CopyDestinationInvalid";
        public const string CopyConflict = "CopyConflict";
        public const string CopyFailed = "CopyFailed";
        public const string UnsafeArchiveEntry = "UnsafeArchiveEntry";
        public const string EngineConnectionBroken = "EngineConnectionBroken";
    }
}
