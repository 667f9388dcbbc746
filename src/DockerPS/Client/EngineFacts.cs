using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace DockerPS.Client
{
    /// <summary>What kind of engine object an operation was about; it picks the error ids.</summary>
    public enum ResourceKind
    {
        Engine,
        Image,
        Container,
        Volume,
        Network,
    }

    /// <summary>Reading what the engine and the connection said: the engine's own words, and which failures are the engine's.</summary>
    internal static class EngineAnswer
    {
        /// <summary>The text the engine gave, from its JSON body when there is one.</summary>
        public static string Message(DockerApiException api)
        {
            string body = api.ResponseBody ?? string.Empty;
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m))
                {
                    return (m.GetString() ?? body).Trim().TrimEnd('.');
                }
            }
            catch (JsonException)
            {
                // Not JSON: the body itself is the message.
            }

            return string.IsNullOrWhiteSpace(body) ? api.StatusCode.ToString() : body.Trim().TrimEnd('.');
        }

        /// <summary>True when the engine's message holds the words (case ignored).</summary>
        public static bool Says(DockerApiException api, string words) =>
            Message(api).IndexOf(words, StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>True for failures of the engine or of the way to it: its answers, connection and time-outs, and our facts about them.</summary>
        public static bool IsFailure(Exception exception) =>
            exception is EngineFactException || exception is DockerApiException || exception is HttpRequestException
            || exception is IOException || exception is TimeoutException || exception is OperationCanceledException
            || exception is SocketException || exception is DockerConfigurationException;

        /// <summary>True when the engine's end accepted the connection, then closed it: reset, or no answer to the request.</summary>
        public static bool IsClosedConnection(Exception exception)
        {
            SocketException? socket = Find<SocketException>(exception);
            return socket == null
                ? exception is HttpRequestException || exception is IOException
                : socket.SocketErrorCode == SocketError.ConnectionReset || socket.SocketErrorCode == SocketError.ConnectionAborted
                    || socket.SocketErrorCode == SocketError.Shutdown;
        }

        /// <summary>The first exception of a type in a chain of inner exceptions.</summary>
        public static T? Find<T>(Exception exception)
            where T : Exception
        {
            for (Exception? e = exception; e != null; e = e.InnerException)
            {
                if (e is T found)
                {
                    return found;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// A fact about a failed engine call or a refused request, as Docker.DotNet's typed exceptions state them: which
    /// object, the engine's own words, the cause. The wording for the user, and the parameters it names, are Errors/'s.
    /// </summary>
    internal abstract class EngineFactException : Exception
    {
        protected EngineFactException(string subject, string? engineMessage, string fact, Exception? inner)
            : base(engineMessage == null ? fact : $"{fact}: {engineMessage}", inner)
        {
            Subject = subject;
            EngineMessage = engineMessage;
        }

        /// <summary>What the request was about, as the caller named it.</summary>
        public string Subject { get; }

        /// <summary>The engine's (or registry's) own words, when it gave any.</summary>
        public string? EngineMessage { get; }
    }

    /// <summary>Why an engine could not be used at all.</summary>
    internal enum HostFault
    {
        /// <summary>A unix:// host whose socket file does not exist.</summary>
        NoSocket,

        /// <summary>The engine's newest API is older than <see cref="EngineConnection.MinimumApiVersion"/>.</summary>
        TooOld,

        /// <summary>DOCKER_TLS_VERIFY asks for TLS, which is not spoken yet.</summary>
        TlsVerifyAsked,

        /// <summary>An https:// host, which is not spoken yet.</summary>
        TlsScheme,

        /// <summary>The port answered a TLS handshake, not plain HTTP.</summary>
        SpeaksOnlyTls,

        /// <summary>Something answered, but refused the version request.</summary>
        NotAnEngine,

        /// <summary>The version request had no answer within <see cref="EngineConnection.CallTimeout"/>.</summary>
        NoAnswer,

        /// <summary>The socket refused this user.</summary>
        PermissionDenied,

        /// <summary>The connection failed; the cause (a socket error) is the inner exception.</summary>
        Unreachable,
    }

    /// <summary>An engine that cannot be used: no item on it will fare better.</summary>
    internal sealed class EngineHostException : EngineFactException
    {
        public EngineHostException(HostFault fault, string host, Exception? inner = null, string? engineMessage = null)
            : base(host, engineMessage, $"The engine at {host} cannot be used ({fault})", inner)
        {
            Fault = fault;
        }

        public HostFault Fault { get; }

        /// <summary>The engine's newest API (<see cref="HostFault.TooOld"/>).</summary>
        public Version? EngineApi { get; set; }

        /// <summary>The socket file looked for (<see cref="HostFault.NoSocket"/>).</summary>
        public string? SocketPath { get; set; }

        /// <summary>The HTTP status of the refused version request (<see cref="HostFault.NotAnEngine"/>).</summary>
        public int StatusCode { get; set; }
    }

    /// <summary>What went wrong between the engine and a registry.</summary>
    internal enum RegistryFault
    {
        /// <summary>The registry refused a credential the engine checked for it.</summary>
        LoginRefused,

        /// <summary>The engine could not check a credential with the registry.</summary>
        LoginUnchecked,

        /// <summary>The engine could not reach the registry's search service.</summary>
        SearchFailed,

        /// <summary>A pull or push was refused for the credential sent (or for none).</summary>
        Denied,

        /// <summary>The registry has no such image (pull).</summary>
        NotFound,

        /// <summary>The engine has no image by the reference to push.</summary>
        NothingToPush,

        /// <summary>The engine could not reach the registry.</summary>
        Unreachable,

        /// <summary>Any other failure of a pull or push.</summary>
        Failed,
    }

    /// <summary>A registry step failed: login, search, pull or push.</summary>
    internal sealed class RegistryException : EngineFactException
    {
        public RegistryException(RegistryFault fault, string subject, string engineMessage, Exception? inner = null)
            : base(subject, engineMessage, $"Registry request for '{subject}' failed ({fault})", inner)
        {
            Fault = fault;
        }

        public RegistryFault Fault { get; }

        /// <summary>True for a pull, false for a push.</summary>
        public bool Pull { get; set; }

        /// <summary>The credential sent, if any.</summary>
        public RegistryLogin? Login { get; set; }
    }

    /// <summary>What the engine refused about an object, or found missing.</summary>
    internal enum ObjectFault
    {
        /// <summary>No object by that name or id (404).</summary>
        NotFound,

        /// <summary>A create found the object it needs missing: the image, or the network it joins.</summary>
        MissingForCreate,

        /// <summary>An object of that name exists already.</summary>
        Exists,

        /// <summary>Containers use it, so it was not removed (<see cref="EngineObjectException.Related"/> names them).</summary>
        InUse,

        /// <summary>One of the engine's own networks, which cannot be removed.</summary>
        Predefined,

        /// <summary>The container is connected to the network already.</summary>
        AlreadyConnected,

        /// <summary>The container is not connected to the network.</summary>
        NotConnected,

        /// <summary>The engine has no network driver of that name (<see cref="EngineObjectException.Related"/> lists its own).</summary>
        DriverNotFound,

        /// <summary>The engine refused an address, subnet or gateway.</summary>
        AddressRejected,

        /// <summary>The address space overlaps another network's.</summary>
        SubnetOverlap,
    }

    /// <summary>The engine refused a request about one object, or found it missing.</summary>
    internal sealed class EngineObjectException : EngineFactException
    {
        public EngineObjectException(ObjectFault fault, ResourceKind kind, string subject, string? engineMessage = null, Exception? inner = null)
            : base(subject, engineMessage, $"{kind} '{subject}': {fault}", inner)
        {
            Fault = fault;
            Kind = kind;
        }

        public ObjectFault Fault { get; }

        public ResourceKind Kind { get; }

        /// <summary>The object's own name when the subject is an id, or the name a create asked for.</summary>
        public string? Name { get; set; }

        /// <summary>The other object of the request: the network of a connect, the engine of a create.</summary>
        public string? Other { get; set; }

        /// <summary>Objects that bear on it: the containers that use it, the drivers the engine has.</summary>
        public IReadOnlyList<string> Related { get; set; } = Array.Empty<string>();
    }

    /// <summary>What stopped a copy between a container and this machine.</summary>
    internal enum CopyFault
    {
        /// <summary>The hidden folder beside the destination could not be made.</summary>
        StagingFailed,

        /// <summary>The finished copy could not be moved into place.</summary>
        MoveFailed,

        /// <summary>The local source could not be packed.</summary>
        PackFailed,

        /// <summary>The engine took the copy, but the path is not in the container afterwards.</summary>
        MissingAfterCopy,

        /// <summary>The source path is not in the container.</summary>
        SourceNotInContainer,

        /// <summary>The local source does not exist.</summary>
        LocalSourceMissing,

        /// <summary>A folder would go onto a file.</summary>
        FolderOntoFile,

        /// <summary>The folder that would receive the copy does not exist.</summary>
        MissingFolder,

        /// <summary>The engine refused to replace a file with a folder or a folder with a file.</summary>
        Conflict,
    }

    /// <summary>A copy between a container and this machine that could not be made; nothing half-done is left.</summary>
    internal sealed class CopyException : EngineFactException
    {
        public CopyException(CopyFault fault, string path, string? container = null, Exception? inner = null, string? engineMessage = null)
            : base(SubjectOf(fault, path, container), engineMessage, $"Copy of '{path}' failed ({fault})", inner)
        {
            Fault = fault;
            Path = path;
            Container = container;
        }

        public CopyFault Fault { get; }

        /// <summary>The path the fault is about: local, or in <see cref="Container"/>.</summary>
        public string Path { get; }

        /// <summary>The container of the copy, when the fault names it.</summary>
        public string? Container { get; }

        /// <summary>A folder missing in, or refused by, a container is named with the container; other paths alone.</summary>
        private static string SubjectOf(CopyFault fault, string path, string? container) =>
            container != null && (fault == CopyFault.MissingFolder || fault == CopyFault.Conflict) ? $"{container}:{path}" : path;
    }

    /// <summary>What the engine did not make of an image stream.</summary>
    internal enum ImageStreamFault
    {
        LoadFailed,
        ImportFailed,

        /// <summary>The import ended without an image id.</summary>
        ImportNoImage,

        /// <summary>The engine refused the build request itself (4xx).</summary>
        BuildRefused,

        /// <summary>The build ran and failed, or announced no image.</summary>
        BuildFailed,
    }

    /// <summary>An image load, import or build the engine failed; <see cref="Errors"/> holds its messages from the stream.</summary>
    internal sealed class ImageStreamException : EngineFactException
    {
        public ImageStreamException(ImageStreamFault fault, string subject, IReadOnlyList<string> errors, Exception? inner = null)
            : base(subject, errors.Count == 0 ? null : string.Join("; ", errors), $"Image stream for '{subject}' failed ({fault})", inner)
        {
            Fault = fault;
            Errors = errors;
        }

        public ImageStreamFault Fault { get; }

        public IReadOnlyList<string> Errors { get; }

        /// <summary>The build step that failed, if known.</summary>
        public string? Step { get; set; }
    }

    /// <summary>A volume backup that is not one, or a restore that did not complete.</summary>
    internal sealed class VolumeArchiveException : EngineFactException
    {
        private VolumeArchiveException(string subject, string fact, bool restore, Exception? inner)
            : base(subject, null, fact, inner)
        {
            IsRestore = restore;
        }

        /// <summary>
        /// False: the file is not a backup (<see cref="Exception.Message"/> says why; a damaged archive's reader error is
        /// the inner exception). True: the restore broke off (the engine failure is the inner exception).
        /// </summary>
        public bool IsRestore { get; }

        /// <summary>For a restore: the volume was made for it, and removed again.</summary>
        public bool CreatedVolumeRemoved { get; private set; }

        public static VolumeArchiveException NotABackup(string path, string why, Exception? inner = null) =>
            new VolumeArchiveException(path, why, false, inner);

        /// <summary>The engine failure is the inner exception.</summary>
        public static VolumeArchiveException RestoreBroken(string volume, bool createdVolumeRemoved, Exception engineFailure) =>
            new VolumeArchiveException(volume, $"The restore into volume '{volume}' did not complete", true, engineFailure) { CreatedVolumeRemoved = createdVolumeRemoved };
    }
}
