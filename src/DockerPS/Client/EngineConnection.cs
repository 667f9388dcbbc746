using System;
using System.Collections.Concurrent;
using System.IO;
using System.Management.Automation;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using DockerPS.Errors;

namespace DockerPS.Client
{
    /// <summary>One negotiated client for one engine, shared by every cmdlet of the session.</summary>
    internal sealed class EngineConnection : IDisposable
    {
        /// <summary>The newest Engine API the library's models describe.</summary>
        public static readonly Version LibraryApiVersion = new Version(1, 54);

        /// <summary>The oldest Engine API DockerPS works with.</summary>
        public static readonly Version MinimumApiVersion = new Version(1, 41);

        /// <summary>Simple calls get this long; streams have no limit and end on Ctrl+C instead.</summary>
        public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(100);

        private static readonly ConcurrentDictionary<string, Lazy<Task<EngineConnection>>> Pool =
            new ConcurrentDictionary<string, Lazy<Task<EngineConnection>>>();

        /// <summary>Long calls (stop with a long grace time, waits, streams) run without a client-side limit.</summary>
        private static readonly TimeSpan NoLimit = TimeSpan.FromDays(1);

        /// <summary>How long the TLS probe of an endpoint that failed in plain HTTP may take.</summary>
        private static readonly TimeSpan TlsProbeTimeout = TimeSpan.FromSeconds(5);

        private EngineConnection(DockerHost host, DockerClient api, DockerClient unbounded)
        {
            Host = host;
            Api = api;
            Unbounded = unbounded;
        }

        public DockerHost Host { get; }

        /// <summary>For simple calls: each ends within <see cref="CallTimeout"/>.</summary>
        public DockerClient Api { get; }

        /// <summary>For calls that may rightly take long; they end on Ctrl+C.</summary>
        public DockerClient Unbounded { get; }

        /// <summary>The connection for a host, negotiated once per session and then reused.</summary>
        public static async Task<EngineConnection> GetAsync(DockerHost host, CancellationToken cancellationToken)
        {
            // Checked on every call, not once per pooled connection: DOCKER_TLS_VERIFY may be set later in the session.
            RefusePlainHttpWhenTlsAsked(host);
            var lazy = Pool.GetOrAdd(host.Key, _ => new Lazy<Task<EngineConnection>>(() => ConnectAsync(host), LazyThreadSafetyMode.ExecutionAndPublication));
            Task<EngineConnection> task = lazy.Value;
            try
            {
                // The shared negotiation is not cancelled by one caller's Ctrl+C; the caller just stops waiting.
                EngineConnection shared = await WaitAsync(task, cancellationToken).ConfigureAwait(false);
                if (ReferenceEquals(shared.Host, host))
                {
                    return shared;
                }

                // Same engine, the caller's own host object: results carry the host as the caller chose it.
                host.ApiVersion = shared.Host.ApiVersion;
                host.EngineVersion = shared.Host.EngineVersion;
                host.OSType = shared.Host.OSType;
                return new EngineConnection(host, shared.Api, shared.Unbounded);
            }
            catch (Exception) when (task.IsFaulted || task.IsCanceled)
            {
                // A failed negotiation is not cached: the engine may be started later in the session.
                Pool.TryRemove(host.Key, out _);
                throw;
            }
        }

        public void Dispose()
        {
            Api.Dispose();
            Unbounded.Dispose();
        }

        private static async Task<EngineConnection> ConnectAsync(DockerHost host)
        {
            try
            {
                CheckEndpoint(host);
            }
            catch (DockerPSException ex)
            {
                ex.IsHostFailure = true;
                throw;
            }

            using var timeout = new CancellationTokenSource(CallTimeout);
            Version negotiated;
            try
            {
                using (DockerClient probe = Build(host, null, CallTimeout))
                {
                    var version = await probe.System.GetVersionAsync(timeout.Token).ConfigureAwait(false);
                    Version engineApi = ParseVersion(version.APIVersion) ?? MinimumApiVersion;
                    Version engineMin = ParseVersion(version.MinAPIVersion) ?? new Version(1, 12);
                    negotiated = engineApi < LibraryApiVersion ? engineApi : LibraryApiVersion;
                    if (negotiated < engineMin)
                    {
                        negotiated = engineMin;
                    }

                    if (engineApi < MinimumApiVersion)
                    {
                        throw new DockerPSException(ErrorIds.EngineTooOld, ErrorCategory.NotImplemented, host.ToString(),
                            $"The engine at {host} speaks Engine API {engineApi}; DockerPS needs {MinimumApiVersion} or later (Docker Engine 20.10). Upgrade the engine.");
                    }

                    host.EngineVersion = version.Version;
                    host.OSType = version.Os;
                }
            }
            catch (DockerPSException ex)
            {
                ex.IsHostFailure = true;
                throw;
            }
            catch (Exception ex) when (!AssemblyLoadFailure.Is(ex))
            {
                DockerPSException failure = await ConnectionFailureAsync(host, ex).ConfigureAwait(false);
                failure.IsHostFailure = true;
                throw failure;
            }

            host.ApiVersion = negotiated;
            return new EngineConnection(host, Build(host, negotiated, CallTimeout), Build(host, negotiated, NoLimit));
        }

        private static DockerClient Build(DockerHost host, Version? apiVersion, TimeSpan timeout)
        {
            var builder = new DockerClientBuilder().WithEndpoint(host.Uri).WithTimeout(timeout);
            if (apiVersion != null)
            {
                builder = builder.WithApiVersion(apiVersion);
            }

            return builder.Build();
        }

        private static void RefusePlainHttpWhenTlsAsked(DockerHost host)
        {
            bool tcp = string.Equals(host.Uri.Scheme, "tcp", StringComparison.OrdinalIgnoreCase);
            if (host.TlsVerify || (tcp && HostResolver.TlsVerifyFromEnvironment()))
            {
                // The docker CLI speaks TLS to every tcp:// host while DOCKER_TLS_VERIFY is set; plain HTTP would send in the clear what the user asked to protect.
                throw new DockerPSException(ErrorIds.TlsVerifyNotSupported, ErrorCategory.NotImplemented, host.ToString(),
                    $"DOCKER_TLS_VERIFY is set, so {host} must be spoken to over TLS with its certificate checked, and this version of DockerPS does not speak TLS to engines yet; it does not fall back to plain HTTP. Unset DOCKER_TLS_VERIFY to use a plain tcp:// engine, or use the engine's unix:// socket.")
                {
                    IsHostFailure = true,
                };
            }

            if (string.Equals(host.Uri.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                throw new DockerPSException(ErrorIds.HostNotSupported, ErrorCategory.NotImplemented, host.ToString(),
                    $"{host} asks for TLS, which this version of DockerPS does not speak yet. Use a unix://, npipe:// or plain tcp:// endpoint.")
                {
                    IsHostFailure = true,
                };
            }
        }

        private static void CheckEndpoint(DockerHost host)
        {
            if (string.Equals(host.Uri.Scheme, "unix", StringComparison.OrdinalIgnoreCase))
            {
                string path = host.Uri.LocalPath;
                if (!File.Exists(path))
                {
                    throw new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, host.ToString(),
                        $"No Docker engine socket at {path} (looked there for {host}). Start the engine, or pass -DockerHost with the right address.");
                }
            }
        }

        private static async Task<DockerPSException> ConnectionFailureAsync(DockerHost host, Exception ex)
        {
            Exception inner = ex is AggregateException agg && agg.InnerException != null ? agg.InnerException : ex;
            if (inner is OperationCanceledException)
            {
                return new DockerPSException(ErrorIds.EngineTimeout, ErrorCategory.OperationTimeout, host.ToString(),
                    $"The engine at {host} did not answer within {CallTimeout.TotalSeconds} s. Check that it is not overloaded, and that {host} is a Docker engine.", inner);
            }

            if (inner is UnauthorizedAccessException)
            {
                return new DockerPSException(ErrorIds.PermissionDenied, ErrorCategory.PermissionDenied, host.ToString(),
                    $"Permission denied on {host}. Run as a user allowed to use the engine (on Linux, a member of the 'docker' group).", inner);
            }

            DockerPSException failure = inner is DockerApiException api
                ? new DockerPSException(ErrorIds.HostUnreachable, ErrorCategory.ConnectionError, host.ToString(),
                    $"What answered at {host} is not a Docker engine it seems: it refused the version request ({(int)api.StatusCode}: {ErrorMapper.EngineMessage(api)}). Check the address, or pass -DockerHost with the engine's.", inner)
                : ErrorMapper.ConnectionFailure(inner, host.ToString());

            // A port that closes on plain HTTP, or answers it with 400, may want TLS: a handshake tells.
            bool maybeTls = inner is DockerApiException || ErrorMapper.IsClosedConnection(inner);
            if (maybeTls && await SpeaksTlsAsync(host.Uri).ConfigureAwait(false))
            {
                return new DockerPSException(ErrorIds.HostRequiresTls, ErrorCategory.ConnectionError, host.ToString(),
                    $"The engine at {host} speaks only TLS (it answered a TLS handshake, not plain HTTP), and this version of DockerPS does not speak TLS to engines yet. Use a plain tcp:// port of the engine, or its unix:// socket.", inner);
            }

            return failure;
        }

        /// <summary>True when the endpoint answers a TLS handshake with a certificate.</summary>
        private static async Task<bool> SpeaksTlsAsync(Uri uri)
        {
            bool tcp = string.Equals(uri.Scheme, "tcp", StringComparison.OrdinalIgnoreCase) || string.Equals(uri.Scheme, "http", StringComparison.OrdinalIgnoreCase);
            if (!tcp || uri.Port <= 0)
            {
                return false;
            }

            bool certificate = false;
            using (var client = new TcpClient())
            {
                try
                {
                    Task handshake = HandshakeAsync(client, uri, () => certificate = true);
                    if (await Task.WhenAny(handshake, Task.Delay(TlsProbeTimeout)).ConfigureAwait(false) != handshake)
                    {
                        // Closing the socket (by the using) ends the handshake that still waits.
                        return false;
                    }

                    await handshake.ConfigureAwait(false);
                }
                catch (Exception probe) when (probe is IOException || probe is SocketException || probe is AuthenticationException || probe is ObjectDisposedException)
                {
                    // The handshake fails once the certificate is refused below; what matters is whether one came.
                }
            }

            return certificate;
        }

        private static async Task HandshakeAsync(TcpClient client, Uri uri, Action sawCertificate)
        {
            await client.ConnectAsync(uri.Host, uri.Port).ConfigureAwait(false);
            using var tls = new SslStream(client.GetStream(), false, (sender, cert, chain, errors) =>
            {
                if (cert != null)
                {
                    sawCertificate();
                }

                // Only a probe: no request is ever sent over it.
                return false;
            });
            await tls.AuthenticateAsClientAsync(uri.Host).ConfigureAwait(false);
        }

        private static Version? ParseVersion(string? text) =>
            Version.TryParse(text, out Version? v) ? v : null;

        private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted)
            {
                return await task.ConfigureAwait(false);
            }

            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            return await task.ConfigureAwait(false);
        }
    }
}
