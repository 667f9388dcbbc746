using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;

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

        private EngineConnection(DockerHost chosen, DockerClient api, DockerClient unbounded, Version apiVersion, string? engineVersion, string? osType)
        {
            Api = api;
            Unbounded = unbounded;
            ApiVersion = apiVersion;
            EngineVersion = engineVersion;
            OSType = osType;
            Host = chosen.WithEngine(apiVersion, engineVersion, osType);
        }

        /// <summary>
        /// The host as the caller chose it (its source, its context), showing what the engine answered; results carry
        /// it, so that is where users see the negotiated version. The caller's own host object is never changed.
        /// </summary>
        public DockerHost Host { get; }

        /// <summary>The Engine API version negotiated with the engine.</summary>
        public Version ApiVersion { get; }

        /// <summary>The engine's own version.</summary>
        public string? EngineVersion { get; }

        /// <summary>The engine's operating system ("linux", "windows").</summary>
        public string? OSType { get; }

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
                if (ReferenceEquals(host, shared.Host))
                {
                    // A host that results carry: it is the connection's own.
                    return shared;
                }

                // Same engine, another host object: results carry the host as the caller chose it.
                return new EngineConnection(host, shared.Api, shared.Unbounded, shared.ApiVersion, shared.EngineVersion, shared.OSType);
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
            CheckEndpoint(host);

            using var timeout = new CancellationTokenSource(CallTimeout);
            Version negotiated;
            string? engineVersion;
            string? osType;
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
                        throw new EngineHostException(HostFault.TooOld, host.ToString()) { EngineApi = engineApi };
                    }

                    engineVersion = version.Version;
                    osType = version.Os;
                }
            }
            // A module file that did not load keeps its own cause, which Errors/ names: not an engine that did not answer.
            catch (Exception ex) when (!(ex is EngineHostException) && UnloadedAssembly.Find(ex, out _) == null)
            {
                throw await ConnectionFailureAsync(host, ex).ConfigureAwait(false);
            }

            return new EngineConnection(host, Build(host, negotiated, CallTimeout), Build(host, negotiated, NoLimit), negotiated, engineVersion, osType);
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
                throw new EngineHostException(HostFault.TlsVerifyAsked, host.ToString());
            }

            if (string.Equals(host.Uri.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                throw new EngineHostException(HostFault.TlsScheme, host.ToString());
            }
        }

        private static void CheckEndpoint(DockerHost host)
        {
            if (string.Equals(host.Uri.Scheme, "unix", StringComparison.OrdinalIgnoreCase))
            {
                string path = host.Uri.LocalPath;
                if (!File.Exists(path))
                {
                    throw new EngineHostException(HostFault.NoSocket, host.ToString()) { SocketPath = path };
                }
            }
        }

        private static async Task<EngineHostException> ConnectionFailureAsync(DockerHost host, Exception ex)
        {
            Exception inner = ex is AggregateException agg && agg.InnerException != null ? agg.InnerException : ex;
            if (inner is OperationCanceledException)
            {
                return new EngineHostException(HostFault.NoAnswer, host.ToString(), inner);
            }

            if (inner is UnauthorizedAccessException)
            {
                return new EngineHostException(HostFault.PermissionDenied, host.ToString(), inner);
            }

            // A port that closes on plain HTTP, or answers it with 400, may want TLS: a handshake tells.
            bool maybeTls = inner is DockerApiException || EngineAnswer.IsClosedConnection(inner);
            if (maybeTls && await SpeaksTlsAsync(host.Uri).ConfigureAwait(false))
            {
                return new EngineHostException(HostFault.SpeaksOnlyTls, host.ToString(), inner);
            }

            return inner is DockerApiException api
                ? new EngineHostException(HostFault.NotAnEngine, host.ToString(), inner, EngineAnswer.Message(api)) { StatusCode = (int)api.StatusCode }
                : new EngineHostException(HostFault.Unreachable, host.ToString(), inner);
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
