using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>What Build-DockerImage asks the engine for.</summary>
    internal sealed class BuildOptions
    {
        public string Dockerfile { get; set; } = "Dockerfile";

        public IList<string> Tags { get; set; } = new List<string>();

        public IDictionary<string, string> BuildArgs { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public string? Target { get; set; }

        public bool NoCache { get; set; }

        public bool Pull { get; set; }

        public string? Platform { get; set; }
    }

    /// <summary>Follows a classic-builder output stream: the step being run, its lines, its warnings, the image id, errors.</summary>
    internal sealed class BuildMonitor : IProgress<JSONMessage>
    {
        /// <summary>How the engine marks its own warnings in the output ("[Warning] One or more build-args [X] were not consumed").</summary>
        private const string WarningMark = "[Warning] ";

        private readonly Action<string> line;
        private readonly Action<string> warning;
        private readonly Action<string, int, int> step;
        private readonly List<string> errors = new List<string>();

        public BuildMonitor(Action<string> line, Action<string> warning, Action<string, int, int> step)
        {
            this.line = line;
            this.warning = warning;
            this.step = step;
        }

        /// <summary>The step running when the stream ended ("Step 3/7 : RUN make").</summary>
        public string? CurrentStep { get; private set; }

        /// <summary>The id the engine announced for the result.</summary>
        public string? ImageId { get; private set; }

        public IReadOnlyList<string> Errors => errors;

        public void Report(JSONMessage value)
        {
            if (value.Error != null && !string.IsNullOrEmpty(value.Error.Message))
            {
                errors.Add(value.Error.Message!.Trim());
                return;
            }

            if (value.Aux?.ExtensionData != null && value.Aux.ExtensionData.TryGetValue("ID", out object? id))
            {
                string? text = id is JsonElement e && e.ValueKind == JsonValueKind.String ? e.GetString() : id?.ToString();
                if (!string.IsNullOrEmpty(text))
                {
                    ImageId = text;
                }
            }

            string? output = value.Stream ?? value.Status;
            if (string.IsNullOrEmpty(output))
            {
                return;
            }

            foreach (string raw in output!.Split('\n'))
            {
                string text = raw.TrimEnd('\r');
                if (text.Trim().Length == 0)
                {
                    continue;
                }

                if (text.StartsWith(WarningMark, StringComparison.OrdinalIgnoreCase))
                {
                    warning(text.Substring(WarningMark.Length).Trim());
                    continue;
                }

                if (text.StartsWith("Step ", StringComparison.Ordinal) && TryParseStep(text, out int n, out int of))
                {
                    CurrentStep = text.Trim();
                    step(CurrentStep, n, of);
                }

                line(text);
            }
        }

        /// <summary>"Step 3/7 : RUN make" → 3, 7.</summary>
        private static bool TryParseStep(string text, out int n, out int of)
        {
            n = of = 0;
            int slash = text.IndexOf('/');
            int colon = text.IndexOf(" :", StringComparison.Ordinal);
            return slash > 5 && colon > slash
                && int.TryParse(text.Substring(5, slash - 5), out n)
                && int.TryParse(text.Substring(slash + 1, colon - slash - 1), out of);
        }
    }

    internal static partial class ImageClient
    {
        /// <summary>Builds from a packed context; a failing step is an error that names the step.</summary>
        public static async Task<string> BuildAsync(EngineConnection c, Stream context, BuildOptions o, BuildMonitor monitor, string target, CancellationToken ct)
        {
            var parameters = new ImageBuildParameters
            {
                Dockerfile = o.Dockerfile,
                Tags = o.Tags,
                BuildArgs = o.BuildArgs,
                Labels = o.Labels,
                Target = o.Target!,
                NoCache = o.NoCache,
                Pull = o.Pull ? "1" : null!,
                Platform = o.Platform!,
                Remove = true,
                ForceRemove = true,
            };
            var auths = new List<AuthConfig>();
            foreach (RegistryLogin login in RegistryAuth.All())
            {
                auths.Add(login.ToAuthConfig());
            }

            try
            {
                using (ct.Register(context.Dispose))
                {
                    await c.Unbounded.Images.BuildImageFromDockerfileAsync(parameters, context, auths, null, monitor, ct).ConfigureAwait(false);
                }
            }
            catch (DockerApiException ex) when ((int)ex.StatusCode >= 400 && (int)ex.StatusCode < 500)
            {
                throw new ImageStreamException(ImageStreamFault.BuildRefused, target, new[] { EngineAnswer.Message(ex) }, ex);
            }

            if (monitor.Errors.Count > 0 || monitor.ImageId == null)
            {
                throw new ImageStreamException(ImageStreamFault.BuildFailed, target, new List<string>(monitor.Errors)) { Step = monitor.CurrentStep };
            }

            return monitor.ImageId;
        }
    }
}
