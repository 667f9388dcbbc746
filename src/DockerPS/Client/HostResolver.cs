using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using Docker.DotNet;

namespace DockerPS.Client
{
    /// <summary>Picks the engine to talk to, by the rules of the docker CLI.</summary>
    internal static class HostResolver
    {
        /// <summary>The default host: DOCKER_HOST, the current context, then the platform's socket.</summary>
        public static DockerHost ResolveDefault()
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable("DOCKER_HOST");
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return new DockerHost(DockerHost.ParseUri(fromEnvironment!), DockerHostSource.Environment, null,
                    TlsVerifyFromEnvironment(),
                    Environment.GetEnvironmentVariable("DOCKER_CERT_PATH")
                        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"));
            }

            string? context = CurrentContextName();
            if (!string.IsNullOrEmpty(context) && !string.Equals(context, "default", StringComparison.OrdinalIgnoreCase))
            {
                Uri endpoint = new DockerConfig().GetEndpoint(context!);
                return new DockerHost(endpoint, DockerHostSource.Context, context);
            }

            return new DockerHost(PlatformDefault(), DockerHostSource.Default, null);
        }

        /// <summary>True when DOCKER_TLS_VERIFY asks for TLS with certificate checks (any value but empty or 0).</summary>
        public static bool TlsVerifyFromEnvironment()
        {
            string? verify = Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY");
            return !string.IsNullOrEmpty(verify) && verify != "0";
        }

        public static Uri PlatformDefault() => RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? new Uri("npipe://./pipe/docker_engine")
            : new Uri("unix:///var/run/docker.sock");

        private static string? CurrentContextName()
        {
            string? name = Environment.GetEnvironmentVariable("DOCKER_CONTEXT");
            if (!string.IsNullOrWhiteSpace(name))
            {
                return name;
            }

            string configDir = Environment.GetEnvironmentVariable("DOCKER_CONFIG")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
            string configFile = Path.Combine(configDir, "config.json");
            if (!File.Exists(configFile))
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(configFile));
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("currentContext", out var c)
                    ? c.GetString()
                    : null;
            }
            catch (JsonException)
            {
                // A broken CLI config should not stop us from using the platform default.
                return null;
            }
        }
    }
}
