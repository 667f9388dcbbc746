using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Docker.DotNet;
using DockerPS.Archives;
using DockerPS.Client;

namespace DockerPS.Errors
{
    /// <summary>The one place where exceptions become ErrorRecords.</summary>
    internal static class ErrorMapper
    {
        // Docker 20.10 and later: containers say "Multiple IDs found with provided prefix: X"; networks "network X is ambiguous".
        private static readonly Regex AmbiguousContainer = new Regex(@"Multiple IDs found with provided prefix: (\S+)", RegexOptions.CultureInvariant);
        private static readonly Regex AmbiguousNetwork = new Regex(@"network (\S+) is ambiguous", RegexOptions.CultureInvariant);

        // What the engine would also take as an image id prefix: hex digits, with or without the algorithm.
        private static readonly Regex ImageIdPrefix = new Regex(@"^(sha256:)?[0-9a-f]{1,64}$", RegexOptions.CultureInvariant);

        public static DockerPSException ToDockerPSException(Exception exception, object? target, ResourceKind kind, string? hostUri = null)
        {
            exception = Unwrap(exception);
            if (exception is DockerPSException own)
            {
                return own;
            }

            if (exception is EngineFactException fact)
            {
                return FactMapper.ToDockerPSException(fact);
            }

            if (AssemblyLoadFailure.ToDockerPSException(exception) is DockerPSException notLoaded)
            {
                return notLoaded;
            }

            if (exception is DockerApiException api)
            {
                string message = EngineAnswer.Message(api);
                if (AmbiguousPrefix(api) is (ResourceKind ambiguousKind, string prefix))
                {
                    return Ambiguous(ambiguousKind, prefix, target, Array.Empty<string>(), api);
                }

                switch (api.StatusCode)
                {
                    case HttpStatusCode.NotFound:
                        return NotFound(kind, target, message, api);
                    case HttpStatusCode.Conflict:
                        return Conflict(api, message, target, kind);
                    case HttpStatusCode.Unauthorized:
                    case HttpStatusCode.Forbidden:
                        return new DockerPSException(ErrorIds.PermissionDenied, ErrorCategory.PermissionDenied, target,
                            $"The engine refused the request: {message}", api);
                    case HttpStatusCode.BadRequest:
                        return new DockerPSException(ErrorIds.InvalidRequest, ErrorCategory.InvalidArgument, target,
                            $"The engine rejected the request: {message}", api);
                    case HttpStatusCode.NotModified:
                        return new DockerPSException(ErrorIds.ContainerConflict, ErrorCategory.InvalidOperation, target,
                            $"Nothing to do for {Describe(kind, target)}: {message}", api);
                    default:
                        return new DockerPSException(ErrorIds.EngineError, ErrorCategory.InvalidOperation, target,
                            $"The engine failed the request ({(int)api.StatusCode}): {message}", api);
                }
            }

            if (exception is TimeoutException || exception is OperationCanceledException)
            {
                return new DockerPSException(ErrorIds.EngineTimeout, ErrorCategory.OperationTimeout, target,
                    $"The engine{At(hostUri)} did not answer in time. Check that it is not overloaded, then try again.", exception);
            }

            if (exception is EngineStreamBrokenException broken)
            {
                return ConnectionBroken(broken, broken.RemovedFile ?? target, hostUri);
            }

            if (exception is IOException && !(exception.InnerException is SocketException) && !(exception.InnerException is HttpRequestException))
            {
                return new DockerPSException(ErrorIds.StreamFailed, ErrorCategory.ReadError, target,
                    $"A stream to or from the engine{At(hostUri)} broke: {exception.Message}", exception);
            }

            if (exception is HttpRequestException || exception is SocketException || exception is IOException)
            {
                return ConnectionFailure(exception, hostUri, target);
            }

            if (exception is DockerConfigurationException || exception is NotSupportedException)
            {
                return new DockerPSException(ErrorIds.HostInvalid, ErrorCategory.InvalidArgument, hostUri ?? target, exception.Message, exception);
            }

            return new DockerPSException(ErrorIds.EngineError, ErrorCategory.NotSpecified, target, exception.Message, exception);
        }

        /// <summary>
        /// The engine's stream broke before its end (the engine died, or the connection was cut): told as such, never as
        /// a local write failure, with the file that was being written, if any (it was removed).
        /// </summary>
        private static DockerPSException ConnectionBroken(EngineStreamBrokenException broken, object? target, string? hostUri) =>
            new DockerPSException(ErrorIds.EngineConnectionBroken, ErrorCategory.ReadError, target,
                $"The engine{At(hostUri)} closed the connection after {broken.BytesRead} bytes, before the end of the stream ({broken.InnerException?.Message ?? broken.Message})."
                + (broken.RemovedFile == null ? string.Empty : $" Nothing was written at '{broken.RemovedFile}', and the partial file was removed.")
                + " Check that the engine is still running (its log may tell why it stopped), then try again.", broken);

        /// <summary>An object the engine does not have; <paramref name="message"/> is the engine's words.</summary>
        public static DockerPSException NotFound(ResourceKind kind, object? target, string message, Exception inner) =>
            new DockerPSException(NotFoundId(kind), ErrorCategory.ObjectNotFound, target,
                $"{Describe(kind, target)} was not found on the engine ({message}). Check the name or id with {ListCommand(kind)}.", inner);

        /// <summary>True for the failures the mapper knows: engine answers, connection and time-outs.</summary>
        public static bool IsEngineFailure(Exception exception)
        {
            exception = Unwrap(exception);
            return exception is DockerPSException || EngineAnswer.IsFailure(exception) || AssemblyLoadFailure.Is(exception);
        }

        /// <summary>True when the engine answered 404.</summary>
        public static bool IsNotFound(Exception exception) =>
            Unwrap(exception) is DockerApiException api && api.StatusCode == HttpStatusCode.NotFound;

        private static DockerPSException Conflict(DockerApiException api, string message, object? target, ResourceKind kind)
        {
            if (kind == ResourceKind.Image)
            {
                return new DockerPSException(ErrorIds.ImageInUse, ErrorCategory.ResourceUnavailable, target,
                    $"{Describe(kind, target)} cannot be removed: {message}. Remove the containers that use it first, or use -Force.", api);
            }

            if (kind == ResourceKind.Container && IsNameInUse(api))
            {
                return NameInUse(api, target, "-Name");
            }

            return new DockerPSException(kind == ResourceKind.Container ? ErrorIds.ContainerConflict : ErrorIds.EngineError,
                ErrorCategory.ResourceUnavailable, target, $"{Describe(kind, target)}: {message}", api);
        }

        /// <summary>True when the engine refused a container name that another container has.</summary>
        public static bool IsNameInUse(Exception exception) =>
            Unwrap(exception) is DockerApiException api && api.StatusCode == HttpStatusCode.Conflict
            && EngineAnswer.Message(api).IndexOf("already in use", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>A container name that is taken; <paramref name="parameter"/> is where the user gave the name.</summary>
        public static DockerPSException NameInUse(Exception exception, object? target, string parameter)
        {
            Exception api = Unwrap(exception);
            string message = api is DockerApiException answer ? EngineAnswer.Message(answer) : Wording.Clause(api.Message);
            return new DockerPSException(ErrorIds.ContainerNameInUse, ErrorCategory.ResourceExists, target,
                $"{message}. Choose another {parameter}, or rename or remove the container that has the name first.", api);
        }

        /// <summary>
        /// Why a connection to an engine failed, read from the socket error underneath: a name that does not resolve,
        /// nothing listening, no route, no answer, a closed connection or no permission each say so.
        /// </summary>
        public static DockerPSException ConnectionFailure(Exception exception, string? hostUri, object? target = null)
        {
            if (!TransportFailure.Is(exception))
            {
                return ToDockerPSException(exception, target ?? hostUri, ResourceKind.Engine, hostUri);
            }

            SocketException? socket = EngineAnswer.Find<SocketException>(exception);
            string reason = Wording.Clause(socket?.Message ?? Innermost(exception).Message);
            string at = At(hostUri);
            object? shown = hostUri ?? target;
            DockerPSException failure;
            switch (socket?.SocketErrorCode)
            {
                case SocketError.HostNotFound:
                case SocketError.NoData:
                case SocketError.TryAgain:
                    string name = Uri.TryCreate(hostUri, UriKind.Absolute, out Uri? uri) ? $"the host name '{uri.Host}'" : "the engine's host name";
                    failure = new DockerPSException(ErrorIds.HostNameNotResolved, ErrorCategory.ConnectionError, shown,
                        $"Cannot reach the engine{at}: {name} did not resolve ({reason}). Check the name in -DockerHost or DOCKER_HOST, or give the engine's IP address.", exception);
                    break;
                case SocketError.ConnectionRefused:
                    failure = new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, shown,
                        $"Nothing accepts connections{at} ({reason}): no engine is running there, or it listens on another port or socket. Start the engine, or pass -DockerHost with its address.", exception);
                    break;
                case SocketError.AccessDenied:
                    failure = new DockerPSException(ErrorIds.PermissionDenied, ErrorCategory.PermissionDenied, shown,
                        $"Permission denied on the engine{at} ({reason}). Run as a user allowed to use the engine (on Linux, a member of the 'docker' group).", exception);
                    break;
                case SocketError.TimedOut:
                    failure = new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, shown,
                        $"The engine{at} did not answer the connection ({reason}): the machine is down, or a firewall drops the traffic. Check the address and that the engine's port is open.", exception);
                    break;
                case SocketError.NetworkUnreachable:
                case SocketError.HostUnreachable:
                case SocketError.NetworkDown:
                    failure = new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, shown,
                        $"There is no route to the engine{at} ({reason}). Check the address, and this machine's network.", exception);
                    break;
                case var _ when EngineAnswer.IsClosedConnection(exception):
                    failure = new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, shown,
                        $"The engine{at} closed the connection ({reason}): it may have stopped or restarted. Check that it is running, and see its log.", exception);
                    break;
                default:
                    failure = new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, shown,
                        $"The connection to the engine{at} failed ({reason}). Check that the engine is running, or pass -DockerHost.", exception);
                    break;
            }

            failure.IsHostFailure = true;
            return failure;
        }

        /// <summary>An id prefix that matches several objects; <paramref name="candidates"/> describe them, when known.</summary>
        public static DockerPSException Ambiguous(ResourceKind kind, string prefix, object? target, IReadOnlyList<string> candidates, Exception? inner)
        {
            string noun = Noun(kind);
            string which = candidates.Count == 0
                ? $"several {noun}s"
                : $"{candidates.Count} {noun}s: {string.Join(", ", candidates)}";
            return new DockerPSException(AmbiguousId(kind), ErrorCategory.InvalidArgument, target,
                $"The id prefix '{prefix}' matches {which}. Give more characters of the id, or the {noun}'s name.", inner);
        }

        /// <summary>
        /// The id prefix to look up for an error that may come from an ambiguous prefix: the engine said so (containers,
        /// networks), or it found no image by a name that looks like an id prefix (the engine reports an ambiguous image
        /// prefix as not found).
        /// </summary>
        public static bool TryGetIdPrefix(DockerPSException mapped, out ResourceKind kind, out string prefix)
        {
            // The engine's answer may sit under one of Client's facts.
            if (mapped.InnerException != null && EngineAnswer.Find<DockerApiException>(mapped.InnerException) is DockerApiException api
                && AmbiguousPrefix(api) is (ResourceKind k, string p))
            {
                (kind, prefix) = (k, p);
                return true;
            }

            if (mapped.ErrorId == ErrorIds.ImageNotFound && mapped.Target is string reference && ImageIdPrefix.IsMatch(reference))
            {
                (kind, prefix) = (ResourceKind.Image, reference.Substring(reference.IndexOf(':') + 1));
                return true;
            }

            (kind, prefix) = (ResourceKind.Engine, string.Empty);
            return false;
        }

        private static (ResourceKind, string)? AmbiguousPrefix(DockerApiException api)
        {
            string message = EngineAnswer.Message(api);
            Match container = AmbiguousContainer.Match(message);
            if (container.Success)
            {
                return (ResourceKind.Container, container.Groups[1].Value);
            }

            Match network = AmbiguousNetwork.Match(message);
            return network.Success ? (ResourceKind.Network, network.Groups[1].Value) : ((ResourceKind, string)?)null;
        }

        private static Exception Innermost(Exception exception)
        {
            while (exception.InnerException != null)
            {
                exception = exception.InnerException;
            }

            return exception;
        }

        private static Exception Unwrap(Exception exception)
        {
            while ((exception is AggregateException || exception is System.Reflection.TargetInvocationException) && exception.InnerException != null)
            {
                exception = exception.InnerException;
            }

            return exception;
        }

        private static string AmbiguousId(ResourceKind kind) => kind switch
        {
            ResourceKind.Image => ErrorIds.ImageIdAmbiguous,
            ResourceKind.Network => ErrorIds.NetworkIdAmbiguous,
            _ => ErrorIds.ContainerIdAmbiguous,
        };

        private static string Noun(ResourceKind kind) => kind switch
        {
            ResourceKind.Image => "image",
            ResourceKind.Network => "network",
            ResourceKind.Volume => "volume",
            _ => "container",
        };

        private static string NotFoundId(ResourceKind kind) => kind switch
        {
            ResourceKind.Image => ErrorIds.ImageNotFound,
            ResourceKind.Container => ErrorIds.ContainerNotFound,
            ResourceKind.Volume => ErrorIds.VolumeNotFound,
            ResourceKind.Network => ErrorIds.NetworkNotFound,
            _ => ErrorIds.EngineError,
        };

        private static string ListCommand(ResourceKind kind) => kind switch
        {
            ResourceKind.Image => "Get-DockerImage",
            ResourceKind.Container => "Get-DockerContainer",
            ResourceKind.Volume => "Get-DockerVolume",
            ResourceKind.Network => "Get-DockerNetwork",
            _ => "Get-DockerImage or Get-DockerContainer",
        };

        private static string Describe(ResourceKind kind, object? target) => kind switch
        {
            ResourceKind.Image => $"Image '{target}'",
            ResourceKind.Container => $"Container '{target}'",
            ResourceKind.Volume => $"Volume '{target}'",
            ResourceKind.Network => $"Network '{target}'",
            _ => $"'{target}'",
        };

        private static string At(string? hostUri) => hostUri == null ? string.Empty : $" at {hostUri}";
    }
}
