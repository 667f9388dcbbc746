using System;

namespace DockerPS
{
    /// <summary>How a host was chosen.</summary>
    public enum DockerHostSource
    {
        Parameter,
        Session,
        Environment,
        Context,
        Default,
    }

    /// <summary>
    /// A Docker engine endpoint, immutable. Every object DockerPS returns carries the one it came from, made by the
    /// session's connection to that engine, which fills in what the engine answered (API version, engine version, OS).
    /// </summary>
    public sealed class DockerHost : IEquatable<DockerHost>
    {
        /// <summary>Creates a host from a URI string such as unix:///var/run/docker.sock or npipe://./pipe/docker_engine.</summary>
        public DockerHost(string uri)
            : this(ParseUri(uri), DockerHostSource.Parameter, null)
        {
        }

        internal DockerHost(Uri uri, DockerHostSource source, string? contextName, bool tlsVerify = false, string? certificatePath = null)
        {
            Uri = uri;
            Source = source;
            ContextName = contextName;
            TlsVerify = tlsVerify;
            CertificatePath = certificatePath;
        }

        /// <summary>A copy of a chosen host that also shows what its engine answered.</summary>
        private DockerHost(DockerHost chosen, Version apiVersion, string? engineVersion, string? osType)
            : this(chosen.Uri, chosen.Source, chosen.ContextName, chosen.TlsVerify, chosen.CertificatePath)
        {
            ApiVersion = apiVersion;
            EngineVersion = engineVersion;
            OSType = osType;
        }

        /// <summary>The endpoint.</summary>
        public Uri Uri { get; }

        /// <summary>How the host was chosen.</summary>
        public DockerHostSource Source { get; }

        /// <summary>Folder of the TLS client certificates (ca.pem, cert.pem, key.pem), for tcp:// and https:// engines.</summary>
        public string? CertificatePath { get; }

        /// <summary>True when the engine's certificate must be verified (DOCKER_TLS_VERIFY).</summary>
        public bool TlsVerify { get; }

        /// <summary>The docker CLI context it came from, if any.</summary>
        public string? ContextName { get; }

        /// <summary>
        /// The API version the session's connection to this engine negotiated. Set on the hosts that results carry
        /// (they come from the connection); null on a host that was only named.
        /// </summary>
        public Version? ApiVersion { get; }

        /// <summary>The engine's own version, as the connection found it; null on a host that was only named.</summary>
        public string? EngineVersion { get; }

        /// <summary>The engine's operating system, as the connection found it; null on a host that was only named.</summary>
        public string? OSType { get; }

        /// <summary>The key by which connections are shared.</summary>
        internal string Key => Uri.AbsoluteUri.TrimEnd('/').ToLowerInvariant();

        /// <summary>This host as chosen, showing what its engine answered; the host itself when it shows that already.</summary>
        internal DockerHost WithEngine(Version apiVersion, string? engineVersion, string? osType) =>
            apiVersion == ApiVersion && engineVersion == EngineVersion && osType == OSType
                ? this
                : new DockerHost(this, apiVersion, engineVersion, osType);

        /// <summary>Parses a host URI; PowerShell uses it to turn a string argument into a host.</summary>
        public static DockerHost Parse(string uri) => new DockerHost(uri);

        public bool Equals(DockerHost? other) => other != null && Key == other.Key;

        public override bool Equals(object? obj) => Equals(obj as DockerHost);

        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

        public override string ToString() => Uri.OriginalString;

        internal static Uri ParseUri(string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("A Docker host URI cannot be empty.", nameof(value));
            }

            string text = value.Trim();

            // A bare absolute path is a Unix socket, as the docker CLI reads it.
            if (text.StartsWith("/", StringComparison.Ordinal))
            {
                text = "unix://" + text;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri))
            {
                throw new ArgumentException($"'{value}' is not a Docker host URI. Use unix:///path/to/docker.sock, npipe://./pipe/name, tcp://host:port or https://host:port.", nameof(value));
            }

            switch (uri.Scheme.ToLowerInvariant())
            {
                case "unix":
                case "npipe":
                case "tcp":
                case "http":
                case "https":
                    return uri;
                default:
                    throw new ArgumentException($"The scheme '{uri.Scheme}' of '{value}' is not supported. Use unix://, npipe://, tcp://, http:// or https://.", nameof(value));
            }
        }
    }
}
