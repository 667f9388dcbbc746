using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>Registry-facing image calls: pull, push, search and login.</summary>
    internal static partial class ImageClient
    {
        /// <summary>Pulls a reference; errors the engine puts inside the stream are thrown with a fitting id.</summary>
        public static async Task PullAsync(EngineConnection c, string reference, string? platform, RegistryLogin? login, TransferProgress progress, CancellationToken ct)
        {
            var (repository, tag) = SplitForPull(reference);
            try
            {
                await c.Unbounded.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag!, Platform = platform! }, login?.ToAuthConfig()!, progress, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                throw TransferError(EngineAnswer.Message(ex), reference, pull: true, login, ex);
            }
            finally
            {
                progress.Complete();
            }

            if (progress.Errors.Count > 0)
            {
                throw TransferError(string.Join("; ", progress.Errors), reference, pull: true, login, null);
            }
        }

        public static async Task PushAsync(EngineConnection c, string reference, RegistryLogin? login, TransferProgress progress, CancellationToken ct)
        {
            var (repository, tag) = SplitForPull(reference);
            try
            {
                await c.Unbounded.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag! }, login?.ToAuthConfig() ?? new AuthConfig(), progress, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                throw TransferError(EngineAnswer.Message(ex), reference, pull: false, login, ex);
            }
            finally
            {
                progress.Complete();
            }

            if (progress.Errors.Count > 0)
            {
                throw TransferError(string.Join("; ", progress.Errors), reference, pull: false, login, null);
            }
        }

        /// <summary>Checks a credential with the engine, which asks the registry.</summary>
        public static async Task LoginAsync(EngineConnection c, RegistryLogin login, CancellationToken ct)
        {
            try
            {
                await c.Api.System.AuthenticateAsync(login.ToAuthConfig(), ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                string message = EngineAnswer.Message(ex);
                bool refused = ex.StatusCode == System.Net.HttpStatusCode.Unauthorized || ex.StatusCode == System.Net.HttpStatusCode.Forbidden
                    || message.IndexOf("unauthorized", StringComparison.OrdinalIgnoreCase) >= 0
                    || message.IndexOf("incorrect username or password", StringComparison.OrdinalIgnoreCase) >= 0;
                throw new RegistryException(refused ? RegistryFault.LoginRefused : RegistryFault.LoginUnchecked, login.Registry, message, ex) { Login = login };
            }
        }

        public static async Task<IReadOnlyList<DockerImageSearchResult>> SearchAsync(EngineConnection c, string term, int? limit, bool? official, int? minimumStars, CancellationToken ct)
        {
            var filters = new Dictionary<string, IDictionary<string, bool>>();
            if (official.HasValue)
            {
                filters["is-official"] = new Dictionary<string, bool> { [official.Value ? "true" : "false"] = true };
            }

            if (minimumStars.HasValue)
            {
                filters["stars"] = new Dictionary<string, bool> { [minimumStars.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)] = true };
            }

            IList<ImageSearchResponse> found;
            try
            {
                found = await c.Api.Images.SearchImagesAsync(new ImagesSearchParameters { Term = term, Limit = limit, Filters = filters }, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when ((int)ex.StatusCode >= 500)
            {
                throw new RegistryException(RegistryFault.SearchFailed, term, EngineAnswer.Message(ex), ex);
            }

            return found.Select(r => new DockerImageSearchResult(c.Host, r.Name, r.Description, r.StarCount, r.IsOfficial, r.IsAutomated)).ToArray();
        }

        /// <summary>name:tag → (name, tag); name@digest → (name@digest, null); name → (name, latest).</summary>
        internal static (string Repository, string? Tag) SplitForPull(string reference)
        {
            if (reference.IndexOf('@') >= 0)
            {
                return (reference, null);
            }

            int colon = reference.LastIndexOf(':');
            int slash = reference.LastIndexOf('/');
            return colon > slash ? (reference.Substring(0, colon), reference.Substring(colon + 1)) : (reference, "latest");
        }

        /// <summary>Tells a failed pull or push by what the engine (or the registry through it) said.</summary>
        private static RegistryException TransferError(string message, string reference, bool pull, RegistryLogin? login, Exception? inner)
        {
            bool denied = Contains(message, "denied") || Contains(message, "unauthorized") || Contains(message, "authentication required")
                || Contains(message, "no basic auth credentials");
            bool missing = Contains(message, "manifest unknown") || Contains(message, "not found") || Contains(message, "does not exist")
                || Contains(message, "repository name not known") || Contains(message, "name unknown");
            RegistryFault fault = denied ? RegistryFault.Denied
                : !pull && Contains(message, "does not exist locally") ? RegistryFault.NothingToPush
                : pull && missing ? RegistryFault.NotFound
                : Contains(message, "connection refused") || Contains(message, "no such host") || Contains(message, "i/o timeout") || Contains(message, "dial tcp") ? RegistryFault.Unreachable
                : RegistryFault.Failed;
            return new RegistryException(fault, reference, message, inner) { Pull = pull, Login = login };
        }

        private static bool Contains(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
