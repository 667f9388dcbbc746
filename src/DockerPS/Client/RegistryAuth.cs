using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>A registry login: what Connect-DockerRegistry checked and keeps for the session.</summary>
    internal sealed class RegistryLogin
    {
        private readonly NetworkCredential credential;

        /// <summary>The credential is .NET's own type: the cmdlets turn their PSCredential into one.</summary>
        public RegistryLogin(string registry, NetworkCredential credential, RegistryLoginSource source)
        {
            Registry = registry;
            this.credential = credential;
            Source = source;
        }

        public string Registry { get; }

        /// <summary>Where the credential came from, so that a refusal can say which one to fix.</summary>
        public RegistryLoginSource Source { get; }

        public string UserName => credential.UserName;

        public AuthConfig ToAuthConfig() => new AuthConfig
        {
            Username = credential.UserName,
            Password = credential.Password,
            ServerAddress = RegistryAuth.ServerAddress(Registry),
        };
    }

    /// <summary>Where a registry credential came from.</summary>
    internal enum RegistryLoginSource
    {
        /// <summary>Given to the cmdlet itself (-Credential).</summary>
        Parameter,

        /// <summary>Kept for the session by Connect-DockerRegistry.</summary>
        Session,

        /// <summary>Stored by docker login in the docker CLI's config.json.</summary>
        CliConfig,
    }

    /// <summary>Registry credentials for the session, and the docker CLI's stored ones as a fallback.</summary>
    internal static class RegistryAuth
    {
        public const string DockerHub = "docker.io";

        private static readonly ConcurrentDictionary<string, RegistryLogin> Logins =
            new ConcurrentDictionary<string, RegistryLogin>(StringComparer.OrdinalIgnoreCase);

        public static void Remember(RegistryLogin login) => Logins[Normalize(login.Registry)] = login;

        public static bool Forget(string registry) => Logins.TryRemove(Normalize(registry), out _);

        /// <summary>Every session login (builds send them all, for FROM lines on any registry).</summary>
        public static System.Collections.Generic.IEnumerable<RegistryLogin> All() => Logins.Values;

        /// <summary>The registry part of an image reference: localhost:5000/app:1 → localhost:5000, app → docker.io.</summary>
        public static string RegistryOf(string reference)
        {
            int slash = reference.IndexOf('/');
            if (slash < 0)
            {
                return DockerHub;
            }

            string first = reference.Substring(0, slash);
            bool isHost = first.IndexOf('.') >= 0 || first.IndexOf(':') >= 0 || string.Equals(first, "localhost", StringComparison.OrdinalIgnoreCase);
            return isHost ? first : DockerHub;
        }

        /// <summary>The address the engine expects in an auth config.</summary>
        public static string ServerAddress(string registry) =>
            Normalize(registry) == DockerHub ? "https://index.docker.io/v1/" : Normalize(registry);

        /// <summary>Session login first, then the docker CLI's config.json (plain auths only; credential helpers are not run).</summary>
        public static RegistryLogin? For(string reference)
        {
            string registry = Normalize(RegistryOf(reference));
            if (Logins.TryGetValue(registry, out RegistryLogin? login))
            {
                return login;
            }

            return FromCliConfig(registry);
        }

        public static string Normalize(string registry)
        {
            string r = registry.Trim();
            foreach (string prefix in new[] { "https://", "http://" })
            {
                if (r.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    r = r.Substring(prefix.Length);
                }
            }

            r = r.TrimEnd('/');
            if (r.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) || r.EndsWith("/v2", StringComparison.OrdinalIgnoreCase))
            {
                r = r.Substring(0, r.Length - 3);
            }

            return r.Equals("index.docker.io", StringComparison.OrdinalIgnoreCase) || r.Equals("registry-1.docker.io", StringComparison.OrdinalIgnoreCase)
                ? DockerHub
                : r.ToLowerInvariant();
        }

        private static RegistryLogin? FromCliConfig(string registry)
        {
            string folder = Environment.GetEnvironmentVariable("DOCKER_CONFIG")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
            string file = Path.Combine(folder, "config.json");
            if (!File.Exists(file))
            {
                return null;
            }

            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                if (!doc.RootElement.TryGetProperty("auths", out JsonElement auths) || auths.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                foreach (JsonProperty entry in auths.EnumerateObject())
                {
                    if (Normalize(entry.Name) != registry || !entry.Value.TryGetProperty("auth", out JsonElement auth))
                    {
                        continue;
                    }

                    string decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetString() ?? string.Empty));
                    int colon = decoded.IndexOf(':');
                    if (colon > 0)
                    {
                        return new RegistryLogin(registry, new NetworkCredential(decoded.Substring(0, colon), decoded.Substring(colon + 1)), RegistryLoginSource.CliConfig);
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is FormatException || ex is IOException || ex is InvalidOperationException)
            {
                // An unreadable CLI config means no stored credential, not a failed pull.
            }

            return null;
        }
    }
}
