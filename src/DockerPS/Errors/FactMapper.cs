using System.Management.Automation;
using DockerPS.Client;

namespace DockerPS.Errors
{
    /// <summary>Words Client's facts for the user: each fact gets its error id, category, target and a message that says what to do.</summary>
    internal static class FactMapper
    {
        public static DockerPSException ToDockerPSException(EngineFactException fact) => fact switch
        {
            EngineHostException host => Host(host),
            RegistryException registry => Registry(registry),
            EngineObjectException refused => Object(refused),
            CopyException copy => Copy(copy),
            ImageStreamException stream => ImageStream(stream),
            VolumeArchiveException archive => VolumeArchive(archive),
            _ => new DockerPSException(ErrorIds.EngineError, ErrorCategory.NotSpecified, fact.Subject, fact.Message, fact),
        };

        private static DockerPSException Host(EngineHostException fact)
        {
            string host = fact.Subject;
            DockerPSException failure = fact.Fault switch
            {
                HostFault.NoSocket => New(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, fact,
                    $"No Docker engine socket at {fact.SocketPath} (looked there for {host}). Start the engine, or pass -DockerHost with the right address."),
                HostFault.TooOld => New(ErrorIds.EngineTooOld, ErrorCategory.NotImplemented, fact,
                    $"The engine at {host} speaks Engine API {fact.EngineApi}; DockerPS needs {EngineConnection.MinimumApiVersion} or later (Docker Engine 20.10). Upgrade the engine."),
                HostFault.TlsVerifyAsked => New(ErrorIds.TlsVerifyNotSupported, ErrorCategory.NotImplemented, fact,
                    $"DOCKER_TLS_VERIFY is set, so {host} must be spoken to over TLS with its certificate checked, and this version of DockerPS does not speak TLS to engines yet; it does not fall back to plain HTTP. Unset DOCKER_TLS_VERIFY to use a plain tcp:// engine, or use the engine's unix:// socket."),
                HostFault.TlsScheme => New(ErrorIds.HostNotSupported, ErrorCategory.NotImplemented, fact,
                    $"{host} asks for TLS, which this version of DockerPS does not speak yet. Use a unix://, npipe:// or plain tcp:// endpoint."),
                HostFault.SpeaksOnlyTls => New(ErrorIds.HostRequiresTls, ErrorCategory.ConnectionError, fact,
                    $"The engine at {host} speaks only TLS (it answered a TLS handshake, not plain HTTP), and this version of DockerPS does not speak TLS to engines yet. Use a plain tcp:// port of the engine, or its unix:// socket."),
                HostFault.NotAnEngine => New(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, fact,
                    $"What answered at {host} is not a Docker engine it seems: it refused the version request ({fact.StatusCode}: {fact.EngineMessage}). Check the address, or pass -DockerHost with the engine's."),
                HostFault.NoAnswer => New(ErrorIds.EngineTimeout, ErrorCategory.OperationTimeout, fact,
                    $"The engine at {host} did not answer within {EngineConnection.CallTimeout.TotalSeconds} s. Check that it is not overloaded, and that {host} is a Docker engine."),
                HostFault.PermissionDenied => New(ErrorIds.PermissionDenied, ErrorCategory.PermissionDenied, fact,
                    $"Permission denied on {host}. Run as a user allowed to use the engine (on Linux, a member of the 'docker' group)."),
                _ => ErrorMapper.ConnectionFailure(fact.InnerException ?? fact, host),
            };
            failure.IsHostFailure = true;
            return failure;
        }

        private static DockerPSException Registry(RegistryException fact)
        {
            string reference = fact.Subject;
            string verb = fact.Pull ? "pull" : "push";
            string message = Wording.Clause(fact.EngineMessage ?? string.Empty);
            RegistryLogin? login = fact.Login;
            switch (fact.Fault)
            {
                case RegistryFault.LoginRefused:
                    return New(ErrorIds.RegistryLoginFailed, ErrorCategory.PermissionDenied, fact,
                        $"The registry {reference} refused the credential of '{login?.UserName}': {fact.EngineMessage}. Check the user name and password.");
                case RegistryFault.LoginUnchecked:
                    return New(ErrorIds.RegistryUnreachable, ErrorCategory.ConnectionError, fact,
                        $"The engine could not check the credential with {reference}: {fact.EngineMessage}.");
                case RegistryFault.SearchFailed:
                    return New(ErrorIds.RegistryUnreachable, ErrorCategory.ConnectionError, fact,
                        $"The engine could not search the registry for '{reference}': {fact.EngineMessage}. The engine needs to reach the registry's search service.");
                case RegistryFault.Denied when login != null:
                    string which = login.Source switch
                    {
                        RegistryLoginSource.Parameter => "given with -Credential",
                        RegistryLoginSource.Session => "kept by Connect-DockerRegistry",
                        _ => "stored by docker login in the docker CLI's config.json",
                    };
                    string fix = login.Source == RegistryLoginSource.Parameter
                        ? "Check the user name and password"
                        : "Connect again with Connect-DockerRegistry, or pass -Credential";
                    return New(ErrorIds.RegistryCredentialRefused, ErrorCategory.PermissionDenied, fact,
                        $"The registry {login.Registry} refused to let the engine {verb} '{reference}' with the credential of '{login.UserName}' {which}: {message}. {fix}, and that this user may {verb} '{reference}'.");
                case RegistryFault.Denied:
                    return New(ErrorIds.RegistryAccessDenied, ErrorCategory.PermissionDenied, fact,
                        $"The registry refused to let the engine {verb} '{reference}': {message}. Log in first with Connect-DockerRegistry, or pass -Credential.");
                case RegistryFault.NothingToPush:
                    return New(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, fact,
                        $"There is no image '{reference}' on the engine to push: {message}. Tag an image with that reference first (Add-DockerImageTag).");
                case RegistryFault.NotFound:
                    return New(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, fact,
                        $"The registry has no image '{reference}': {message}. Check the repository and tag.");
                case RegistryFault.Unreachable:
                    return New(ErrorIds.RegistryUnreachable, ErrorCategory.ConnectionError, fact,
                        $"The engine could not reach the registry to {verb} '{reference}': {message}.");
                default:
                    return New(fact.Pull ? ErrorIds.ImagePullFailed : ErrorIds.ImagePushFailed, ErrorCategory.InvalidOperation, fact,
                        $"The engine could not {verb} '{reference}': {message}.");
            }
        }

        private static DockerPSException Object(EngineObjectException fact)
        {
            string subject = fact.Subject;
            string noun = fact.Kind == ResourceKind.Network ? "network" : "volume";
            string users = string.Join(", ", fact.Related);
            switch (fact.Fault)
            {
                case ObjectFault.NotFound:
                    return ErrorMapper.NotFound(fact.Kind, subject, fact.EngineMessage ?? string.Empty, fact);
                case ObjectFault.MissingForCreate when fact.Kind == ResourceKind.Network:
                    return New(ErrorIds.NetworkNotFound, ErrorCategory.ObjectNotFound, fact,
                        $"The network '{subject}' is not on the engine ({fact.EngineMessage}). Create it first, or pass an existing network to -Network.");
                case ObjectFault.MissingForCreate:
                    return New(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, fact,
                        $"The image '{subject}' is not on the engine ({fact.EngineMessage}). Load or pull it first; Get-DockerImage lists what is there.");
                case ObjectFault.Exists:
                    return New(fact.Kind == ResourceKind.Network ? ErrorIds.NetworkExists : ErrorIds.VolumeExists, ErrorCategory.ResourceExists, fact,
                        $"A {noun} named '{subject}' already exists on {fact.Other}. Choose another name, or "
                        + (fact.Kind == ResourceKind.Network ? "remove the existing network first." : "use the existing volume."));
                case ObjectFault.InUse when fact.Kind == ResourceKind.Network:
                    return New(ErrorIds.NetworkInUse, ErrorCategory.ResourceUnavailable, fact,
                        $"Network '{fact.Name}' has {(fact.Related.Count > 0 ? users : "containers")} connected, so it was not removed. Disconnect them (Disconnect-DockerNetwork) or remove them first.");
                case ObjectFault.InUse:
                    return New(ErrorIds.VolumeInUse, ErrorCategory.ResourceUnavailable, fact,
                        $"Volume '{subject}' is in use by {(fact.Related.Count > 0 ? users : "a container")}, so it was not removed. Remove {(fact.Related.Count == 1 ? "that container" : "those containers")} first (Remove-DockerContainer), then remove the volume.");
                case ObjectFault.Predefined:
                    return New(ErrorIds.NetworkPredefined, ErrorCategory.InvalidOperation, fact,
                        $"Network '{subject}' is one of the engine's own networks (bridge, host, none), which cannot be removed.");
                case ObjectFault.AlreadyConnected:
                    return New(ErrorIds.ContainerAlreadyConnected, ErrorCategory.ResourceExists, fact,
                        $"Container '{subject}' is already connected to network '{fact.Other}'. Disconnect it first to connect it with other settings.");
                case ObjectFault.NotConnected:
                    return New(ErrorIds.ContainerNotConnected, ErrorCategory.InvalidOperation, fact,
                        $"Container '{subject}' is not connected to network '{fact.Other}'.");
                case ObjectFault.DriverNotFound:
                    return New(ErrorIds.NetworkDriverNotFound, ErrorCategory.ObjectNotFound, fact,
                        $"Network '{fact.Name}' was not created: the engine has no network driver '{subject}'."
                        + (fact.Related.Count > 0 ? $" Its network drivers are: {users}." : string.Empty)
                        + " Pass one of those to -Driver, or install the driver's plugin on the engine first.");
                case ObjectFault.SubnetOverlap:
                    return New(ErrorIds.SubnetOverlap, ErrorCategory.InvalidArgument, fact,
                        $"Network '{subject}' was not created: {fact.EngineMessage}. Another network uses part of that address space; choose a subnet no other network uses (Get-DockerNetwork shows theirs).");
                default:
                    string what = fact.Kind == ResourceKind.Network
                        ? $"Network '{subject}' was not created"
                        : $"Container '{fact.Name}' was not connected to network '{fact.Other}'";
                    return New(ErrorIds.InvalidNetworkAddress, ErrorCategory.InvalidArgument, fact, $"{what}: {fact.EngineMessage}.");
            }
        }

        private static DockerPSException Copy(CopyException fact)
        {
            string path = fact.Path;
            string cause = fact.InnerException == null ? string.Empty : Wording.Clause(fact.InnerException.Message);
            return fact.Fault switch
            {
                CopyFault.StagingFailed => New(ErrorIds.CopyFailed, ErrorCategory.WriteError, fact,
                    $"Could not write in '{path}': {cause}. Nothing was copied."),
                CopyFault.MoveFailed => New(ErrorIds.CopyFailed, ErrorCategory.WriteError, fact,
                    $"Could not move the copy into place at '{path}': {cause}. Entries moved before the failure stay there."),
                CopyFault.PackFailed => New(ErrorIds.CopyFailed, ErrorCategory.ReadError, fact,
                    $"Could not pack '{path}': {cause}. Nothing was copied into the container."),
                CopyFault.MissingAfterCopy => New(ErrorIds.CopyFailed, ErrorCategory.InvalidResult, fact,
                    $"The engine took the copy, but '{path}' is not in container '{fact.Container}' afterwards. Check the container's file system."),
                CopyFault.SourceNotInContainer => New(ErrorIds.ContainerPathNotFound, ErrorCategory.ObjectNotFound, fact,
                    $"'{path}' does not exist in container '{fact.Container}'. Check the path; container paths are absolute and case-sensitive."),
                CopyFault.LocalSourceMissing => New(ErrorIds.LocalPathNotFound, ErrorCategory.ObjectNotFound, fact,
                    $"'{path}' does not exist. Check the -Path."),
                CopyFault.FolderOntoFile => New(ErrorIds.CopyDestinationInvalid, ErrorCategory.InvalidArgument, fact,
                    $"'{path}' is a file, and a folder cannot be copied onto a file. Give a folder, or a path that does not exist yet."),
                CopyFault.MissingFolder => New(ErrorIds.CopyDestinationInvalid, ErrorCategory.ObjectNotFound, fact,
                    fact.Container == null
                        ? $"The folder '{path}' does not exist. Create it first, or choose another -Destination."
                        : $"The folder '{path}' does not exist in container '{fact.Container}'. Create it first (Invoke-DockerExec {fact.Container} mkdir -p {path}), or choose another -Destination."),
                _ => New(ErrorIds.CopyConflict, ErrorCategory.ResourceExists, fact,
                    $"The engine refused the copy into '{path}' of container '{fact.Container}': {fact.EngineMessage}. A folder cannot replace a file there, nor a file a folder; remove the one in the way first."),
            };
        }

        private static DockerPSException ImageStream(ImageStreamException fact)
        {
            string target = fact.Subject;
            string errors = string.Join("; ", fact.Errors);
            return fact.Fault switch
            {
                ImageStreamFault.LoadFailed => New(ErrorIds.ImageLoadFailed, ErrorCategory.InvalidData, fact,
                    $"The engine could not load '{target}': {errors}. Check that the file is a whole image archive (from Save-DockerImage or docker save)."),
                ImageStreamFault.ImportFailed => New(ErrorIds.ImageImportFailed, ErrorCategory.InvalidData, fact,
                    $"The engine could not import '{target}': {errors}."),
                ImageStreamFault.ImportNoImage => New(ErrorIds.ImageImportFailed, ErrorCategory.InvalidData, fact,
                    $"The engine did not report an image for '{target}'."),
                ImageStreamFault.BuildRefused => New(ErrorIds.ImageBuildFailed, ErrorCategory.InvalidArgument, fact,
                    $"The engine refused the build of '{target}': {errors}."),
                _ => New(ErrorIds.ImageBuildFailed, ErrorCategory.InvalidResult, fact,
                    $"The build of '{target}' failed{(fact.Step == null ? string.Empty : $" at {fact.Step}")}: {(fact.Errors.Count > 0 ? Wording.Clause(errors) : "the engine announced no image")}."),
            };
        }

        private static DockerPSException VolumeArchive(VolumeArchiveException fact)
        {
            if (!fact.IsRestore)
            {
                return New(ErrorIds.InvalidVolumeBackup, ErrorCategory.InvalidData, fact,
                    $"'{fact.Subject}' is not a volume backup: {fact.Message}{(fact.InnerException == null ? string.Empty : ": " + Wording.Clause(fact.InnerException.Message))}. Restore-DockerVolume reads what Backup-DockerVolume writes: a tar archive, plain or gzip, whose entries all sit under one folder named '{VolumeClient.BackupRoot}'. Nothing was changed.");
            }

            string volume = fact.Subject;
            string left = fact.CreatedVolumeRemoved
                ? "The new volume was removed again."
                : $"Volume '{volume}' now holds part of the archive: run Restore-DockerVolume again with -Force to complete it, or remove the volume.";
            string cause = ErrorMapper.ToDockerPSException(fact.InnerException ?? fact, volume, ResourceKind.Volume).Message;
            return New(ErrorIds.VolumeRestoreFailed, ErrorCategory.WriteError, fact, $"{fact.Message}: {cause} {left}");
        }

        private static DockerPSException New(string errorId, ErrorCategory category, EngineFactException fact, string message) =>
            new DockerPSException(errorId, category, fact.Subject, message, fact);
    }
}
