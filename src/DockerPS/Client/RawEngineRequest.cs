using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerPS.Client
{
    /// <summary>
    /// Reads an engine reply as plain JSON, over the client library's own transport for the host (Unix socket, named
    /// pipe or TCP), for the few replies whose shape on older engines the library's models do not describe.
    /// </summary>
    internal static class RawEngineRequest
    {
        public static async Task<JsonDocument> GetJsonAsync(EngineConnection c, string relativeUri, CancellationToken ct)
        {
            using HttpClient http = Open(c, relativeUri, EngineConnection.CallTimeout, out Uri uri);
            using HttpResponseMessage response = await http.GetAsync(uri, ct).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new DockerApiException(response.StatusCode, body);
            }

            return JsonDocument.Parse(body);
        }

        /// <summary>
        /// Posts to the engine with no body and no time-out of its own (Ctrl+C ends it); returns the status, which is a
        /// success or 304 Not Modified, else throws the engine's answer as the library would.
        /// </summary>
        public static async Task<HttpStatusCode> PostAsync(EngineConnection c, string relativeUri, CancellationToken ct)
        {
            using HttpClient http = Open(c, relativeUri, Timeout.InfiniteTimeSpan, out Uri uri);
            // No content at all: an empty body is sent chunked, and the engine may answer (304, 404) and close before its end.
            using var request = new HttpRequestMessage(HttpMethod.Post, uri);
            using HttpResponseMessage response = await http.SendAsync(request, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
            {
                string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                throw new DockerApiException(response.StatusCode, body);
            }

            return response.StatusCode;
        }

        /// <summary>
        /// A client over the connection's own options (endpoint, negotiated version, credentials), so the request goes
        /// exactly where its calls go; <paramref name="uri"/> is <paramref name="relativeUri"/> under the API version.
        /// </summary>
        private static HttpClient Open(EngineConnection c, string relativeUri, TimeSpan timeout, out Uri uri)
        {
            ResolvedClientOptions options = c.Api.Options;
            Version api = options.ApiVersion ?? EngineConnection.MinimumApiVersion;
            ResolvedTransport transport = Factory(options.Endpoint.Scheme).CreateHandler(options, NullLogger.Instance);
            uri = new Uri(transport.EffectiveEndpoint, $"v{api.Major}.{api.Minor}/{relativeUri}");
            return new HttpClient(options.AuthProvider.ConfigureHandler(transport.Handler), disposeHandler: true) { Timeout = timeout };
        }

        /// <summary>The transport the library itself picks for the scheme.</summary>
        private static IDockerHandlerFactory Factory(string scheme) => scheme.ToLowerInvariant() switch
        {
            "unix" => (IDockerHandlerFactory)Docker.DotNet.Unix.DockerHandlerFactory.Instance,
            "npipe" => (IDockerHandlerFactory)Docker.DotNet.NPipe.DockerHandlerFactory.Instance,
            _ => (IDockerHandlerFactory)Docker.DotNet.LegacyHttp.DockerHandlerFactory.Instance,
        };
    }
}
