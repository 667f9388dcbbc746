namespace DockerPS.Errors
{
    /// <summary>Error ids of the network cmdlets.</summary>
    public static partial class ErrorIds
    {
        public const string NetworkNotFound = "NetworkNotFound";
        public const string NetworkExists = "NetworkExists";
        public const string NetworkInUse = "NetworkInUse";
        public const string NetworkPredefined = "NetworkPredefined";
        public const string SubnetOverlap = "SubnetOverlap";
        public const string InvalidNetworkAddress = "InvalidNetworkAddress";
        public const string ContainerAlreadyConnected = "ContainerAlreadyConnected";
        public const string ContainerNotConnected = "ContainerNotConnected";
    }
}
