using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using DockerPS.Client;

namespace DockerPS.Errors
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

    /// <summary>The one place where exceptions become ErrorRecords.</summary>
    internal static class ErrorMapper
    {
        public static DockerPSException ToDockerPSException(Exception exception, object? target, ResourceKind kind, string? hostUri = null)
        {
            exception = Unwrap(exception);
            if (exception is DockerPSException own)
            {
                return own;
            }

            if (exception is DockerApiException api)
            {
                string message = EngineMessage(api);
                switch (api.StatusCode)
                {
                    case HttpStatusCode.NotFound:
                        return new DockerPSException(NotFoundId(kind), ErrorCategory.ObjectNotFound, target,
                            $"{Describe(kind, target)} was not found on the engine ({message}). Check the name or id with {ListCommand(kind)}.", api);
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
                return ConnectionBroken(broken, target, null, hostUri);
            }

            if (exception is IOException && !(exception.InnerException is SocketException) && !(exception.InnerException is HttpRequestException))
            {
                return new DockerPSException(ErrorIds.StreamFailed, ErrorCategory.ReadError, target,
                    $"A stream to or from the engine{At(hostUri)} broke: {exception.Message}", exception);
            }

            if (exception is HttpRequestException || exception is SocketException || exception is IOException)
            {
                return new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, hostUri ?? target,
                    $"The connection to the engine{At(hostUri)} failed: {exception.Message}. Check that the engine is running, or pass -DockerHost.", exception);
            }

            if (exception is DockerConfigurationException || exception is NotSupportedException)
            {
                return new DockerPSException(ErrorIds.HostInvalid, ErrorCategory.InvalidArgument, hostUri ?? target, exception.Message, exception);
            }

            return new DockerPSException(ErrorIds.EngineError, ErrorCategory.NotSpecified, target, exception.Message, exception);
        }

        /// <summary>
        /// The engine's stream broke before its end (the engine died, or the connection was cut): told as such, never as
        /// a local write failure. <paramref name="path"/> is the file that was being written, if any; it was removed.
        /// </summary>
        public static DockerPSException ConnectionBroken(EngineStreamBrokenException broken, object? target, string? path, string? hostUri = null) =>
            new DockerPSException(ErrorIds.EngineConnectionBroken, ErrorCategory.ReadError, target,
                $"The engine{At(hostUri)} closed the connection after {broken.BytesRead} bytes, before the end of the stream ({broken.InnerException?.Message ?? broken.Message})."
                + (path == null ? string.Empty : $" Nothing was written at '{path}', and the partial file was removed.")
                + " Check that the engine is still running (its log may tell why it stopped), then try again.", broken);

        /// <summary>True for the failures the mapper knows: engine answers, connection and time-outs.</summary>
        public static bool IsEngineFailure(Exception exception)
        {
            exception = Unwrap(exception);
            return exception is DockerPSException || exception is DockerApiException || exception is HttpRequestException
                || exception is IOException || exception is TimeoutException || exception is OperationCanceledException
                || exception is SocketException || exception is DockerConfigurationException;
        }

        /// <summary>True when the engine answered 404.</summary>
        public static bool IsNotFound(Exception exception) =>
            Unwrap(exception) is DockerApiException api && api.StatusCode == HttpStatusCode.NotFound;

        /// <summary>The text the engine gave, from its JSON body when there is one.</summary>
        public static string EngineMessage(DockerApiException api)
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

        private static DockerPSException Conflict(DockerApiException api, string message, object? target, ResourceKind kind)
        {
            if (kind == ResourceKind.Image)
            {
                return new DockerPSException(ErrorIds.ImageInUse, ErrorCategory.ResourceUnavailable, target,
                    $"{Describe(kind, target)} cannot be removed: {message}. Remove the containers that use it first, or use -Force.", api);
            }

            if (kind == ResourceKind.Container && message.IndexOf("already in use", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new DockerPSException(ErrorIds.ContainerNameInUse, ErrorCategory.ResourceExists, target,
                    $"{message}. Choose another -Name, or remove the existing container first.", api);
            }

            return new DockerPSException(kind == ResourceKind.Container ? ErrorIds.ContainerConflict : ErrorIds.EngineError,
                ErrorCategory.ResourceUnavailable, target, $"{Describe(kind, target)}: {message}", api);
        }

        private static Exception Unwrap(Exception exception)
        {
            while ((exception is AggregateException || exception is System.Reflection.TargetInvocationException) && exception.InnerException != null)
            {
                exception = exception.InnerException;
            }

            return exception;
        }

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
