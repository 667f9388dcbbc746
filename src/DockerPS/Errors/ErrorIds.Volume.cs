namespace DockerPS.Errors
{
    /// <summary>Error ids of the volume cmdlets.</summary>
    public static partial class ErrorIds
    {
        public const string VolumeNotFound = "VolumeNotFound";
        public const string VolumeExists = "VolumeExists";
        public const string VolumeInUse = "VolumeInUse";
        public const string VolumeNotEmpty = "VolumeNotEmpty";
        public const string InvalidVolumeBackup = "InvalidVolumeBackup";
        public const string VolumeRestoreFailed = "VolumeRestoreFailed";
    }
}
