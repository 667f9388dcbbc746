using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using DockerPS.Errors;

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
                throw TransferError(ErrorMapper.EngineMessage(ex), reference, pull: true, login, ex);
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
                throw TransferError(ErrorMapper.EngineMessage(ex), reference, pull: false, login, ex);
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
                string message = ErrorMapper.EngineMessage(ex);
                bool refused = ex.StatusCode == System.Net.HttpStatusCode.Unauthorized || ex.StatusCode == System.Net.HttpStatusCode.Forbidden
                    || message.IndexOf("unauthorized", StringComparison.OrdinalIgnoreCase) >= 0
                    || message.IndexOf("incorrect username or password", StringComparison.OrdinalIgnoreCase) >= 0;
                if (refused)
                {
                    throw new DockerPSException(ErrorIds.RegistryLoginFailed, ErrorCategory.PermissionDenied, login.Registry,
                        $"The registry {login.Registry} refused the credential of '{login.UserName}': {message}. Check the user name and password.", ex);
                }

                throw new DockerPSException(ErrorIds.RegistryUnreachable, ErrorCategory.ConnectionError, login.Registry,
                    $"The engine could not check the credential with {login.Registry}: {message}.", ex);
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
                throw new DockerPSException(ErrorIds.RegistryUnreachable, ErrorCategory.ConnectionError, term,
                    $"The engine could not search the registry for '{term}': {ErrorMapper.EngineMessage(ex)}. The engine needs to reach the registry's search service.", ex);
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

        private static DockerPSException TransferError(string message, string reference, bool pull, RegistryLogin? login, Exception? inner)
        {
            string verb = pull ? "pull" : "push";
            message = ErrorMapper.Clause(message);
            bool denied = Contains(message, "denied") || Contains(message, "unauthorized") || Contains(message, "authentication required")
                || Contains(message, "no basic auth credentials");
            if (denied && login != null)
            {
                string which = login.Source switch
                {
                    RegistryLoginSource.Parameter => "given with -Credential",
                    RegistryLoginSource.Session => "kept by Connect-DockerRegistry",
                    _ => "stored by docker login in the docker CLI's config.json",
                };
                string fix = login.Source == RegistryLoginSource.Parameter
                    ? "Check the user name and password"
                    : "Connect again with Connect-DockerRegistry, or pass -Credential";
                return new DockerPSException(ErrorIds.RegistryCredentialRefused, ErrorCategory.PermissionDenied, reference,
                    $"The registry {login.Registry} refused to let the engine {verb} '{reference}' with the credential of '{login.UserName}' {which}: {message}. {fix}, and that this user may {verb} '{reference}'.", inner);
            }

            if (denied)
            {
                return new DockerPSException(ErrorIds.RegistryAccessDenied, ErrorCategory.PermissionDenied, reference,
                    $"The registry refused to let the engine {verb} '{reference}': {message}. Log in first with Connect-DockerRegistry, or pass -Credential.", inner);
            }

            bool missing = Contains(message, "manifest unknown") || Contains(message, "not found") || Contains(message, "does not exist")
                || Contains(message, "repository name not known") || Contains(message, "name unknown");
            if (!pull && Contains(message, "does not exist locally"))
            {
                return new DockerPSException(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, reference,
                    $"There is no image '{reference}' on the engine to push: {message}. Tag an image with that reference first (Add-DockerImageTag).", inner);
            }

            if (pull && missing)
            {
                return new DockerPSException(ErrorIds.ImageNotFound, ErrorCategory.ObjectNotFound, reference,
                    $"The registry has no image '{reference}': {message}. Check the repository and tag.", inner);
            }

            if (Contains(message, "connection refused") || Contains(message, "no such host") || Contains(message, "i/o timeout") || Contains(message, "dial tcp"))
            {
                return new DockerPSException(ErrorIds.RegistryUnreachable, ErrorCategory.ConnectionError, reference,
                    $"The engine could not reach the registry to {verb} '{reference}': {message}.", inner);
            }

            return new DockerPSException(pull ? ErrorIds.ImagePullFailed : ErrorIds.ImagePushFailed, ErrorCategory.InvalidOperation, reference,
                $"The engine could not {verb} '{reference}': {message}.", inner);
        }

        private static bool Contains(string text, string part) => text.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
