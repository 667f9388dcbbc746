using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DockerPS.Archives;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>
    /// Builds an image from a folder and a Dockerfile, like docker build: the context is sent as a tar that honours
    /// .dockerignore, the build's steps come out as progress and information records, and the image is returned.
    /// </summary>
    [Cmdlet("Build", "DockerImage", SupportsShouldProcess = true)]
    [OutputType(typeof(DockerImage))]
    public sealed class BuildDockerImageCommand : DockerCmdlet
    {
        /// <summary>The build context folder (the current folder when not given).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("FullName", "Context")]
        public string Path { get; set; } = ".";

        /// <summary>
        /// The Dockerfile, relative to the current location, as docker build -f takes it; it may lie outside the
        /// context. Without it, the Dockerfile of the context folder.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("File")]
        public string? Dockerfile { get; set; }

        /// <summary>References for the built image, repository[:tag].</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? Tag { get; set; }

        /// <summary>Build arguments (ARG values), as a hashtable.</summary>
        [Parameter]
        public Hashtable? BuildArg { get; set; }

        /// <summary>Labels to put on the image: a hashtable or key=value strings.</summary>
        [Parameter]
        public object[]? Label { get; set; }

        /// <summary>The stage to build, in a multi-stage Dockerfile.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Target { get; set; }

        /// <summary>Do not use the build cache.</summary>
        [Parameter]
        public SwitchParameter NoCache { get; set; }

        /// <summary>Always pull newer versions of the base images.</summary>
        [Parameter]
        public SwitchParameter Pull { get; set; }

        /// <summary>The platform to build for, such as linux/amd64.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Platform { get; set; }

        protected override void ProcessRecordCore()
        {
            string context = GetUnresolvedProviderPathFromPSPath(Path);
            if (!Directory.Exists(context))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.BuildContextNotFound, ErrorCategory.ObjectNotFound, context,
                    $"The build context folder '{context}' does not exist.").ToErrorRecord());
            }

            (string dockerfile, string? outside) = DockerfileFor(context);
            string shown = Tag != null && Tag.Length > 0 ? string.Join(", ", Tag) : context;
            if (!ShouldProcess(shown, $"Build image from '{context}'"))
            {
                return;
            }

            var options = new BuildOptions
            {
                Dockerfile = dockerfile,
                Tags = Tag ?? Array.Empty<string>(),
                Target = Target,
                NoCache = NoCache,
                Pull = Pull,
                Platform = Platform,
            };
            try
            {
                foreach (DictionaryEntry e in BuildArg ?? new Hashtable())
                {
                    options.BuildArgs[Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty] =
                        Convert.ToString(e.Value is PSObject p ? p.BaseObject : e.Value, CultureInfo.InvariantCulture) ?? string.Empty;
                }

                foreach (var label in KeyValueList.Parse(Label, "label", allowFromProcess: false))
                {
                    options.Labels[label.Key] = label.Value;
                }
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }

            DockerHost host = TargetHost(null);
            EngineConnection connection = Connect(host);
            string packed = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dockerps-context-" + Guid.NewGuid().ToString("N") + ".tar");
            try
            {
                long size = Pack(context, dockerfile, outside, packed);
                WriteVerbose($"Sending build context to the engine: {Display.Size(size)} ({size.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
                string id;
                var monitor = new BuildMonitor(
                    line => Post(() => WriteInformation(new InformationRecord(line, "Build-DockerImage") { Tags = { "Build" } })),
                    warning => Post(() => WriteWarning(warning)),
                    (text, n, of) => Post(() => WriteProgress(new ProgressRecord(3, $"Building {shown}", text) { PercentComplete = Math.Min(100, Math.Max(0, (n - 1) * 100 / Math.Max(1, of))) })));
                try
                {
                    using var stream = new FileStream(packed, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                    id = Await(ct => ImageClient.BuildAsync(connection, stream, options, monitor, shown, ct));
                }
                finally
                {
                    WriteProgress(new ProgressRecord(3, $"Building {shown}", "Done") { RecordType = ProgressRecordType.Completed });
                }

                WriteObject(Await(ct => ImageClient.InspectAsync(connection, id, ct)).As(Tag?.FirstOrDefault()));
            }
            finally
            {
                File.Delete(packed);
            }
        }

        /// <summary>
        /// The Dockerfile's name in the context, as the engine wants it, and its full path when it lies outside the
        /// context: docker build -f reads a relative path from the current folder (here PowerShell's current
        /// location) and sends a Dockerfile from outside the context under a name of its own.
        /// </summary>
        private (string Name, string? Outside) DockerfileFor(string context)
        {
            string full = System.IO.Path.GetFullPath(Dockerfile == null
                ? System.IO.Path.Combine(context, "Dockerfile")
                : GetUnresolvedProviderPathFromPSPath(Dockerfile));
            if (!File.Exists(full))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.BuildContextNotFound, ErrorCategory.ObjectNotFound, full,
                    Dockerfile == null
                        ? $"There is no Dockerfile in the build context '{context}'. Use -Dockerfile to name it."
                        : $"There is no Dockerfile at '{full}'. -Dockerfile is read from the current location, as docker build -f reads it.").ToErrorRecord());
            }

            string root = System.IO.Path.GetFullPath(context).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            return full.StartsWith(root, StringComparison.Ordinal)
                ? (full.Substring(root.Length).Replace('\\', '/'), (string?)null)
                : (BuildContext.OutsideDockerfileName(), full);
        }

        /// <summary>Packs the context into a temporary tar, with progress; returns its size.</summary>
        private long Pack(string context, string dockerfile, string? outside, string packed)
        {
            var throttle = new ProgressThrottle();
            using var output = new FileStream(packed, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            long size = Await(ct => BuildContext.WriteTarAsync(context, dockerfile, output, bytes =>
            {
                if (throttle.Due())
                {
                    Post(() => WriteProgress(new ProgressRecord(4, "Packing build context", $"{context}: {Display.Size(bytes)}")));
                }
            }, ct, outside));
            WriteProgress(new ProgressRecord(4, "Packing build context", "Done") { RecordType = ProgressRecordType.Completed });
            return size;
        }
    }
}
