using System;
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DockerPS.Client;
using DockerPS.Errors;

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

        /// <summary>The Dockerfile, relative to the context folder (or a full path inside it).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [Alias("File")]
        public string Dockerfile { get; set; } = "Dockerfile";

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

            string dockerfile = DockerfileInside(context);
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
                long size = Pack(context, dockerfile, packed);
                WriteVerbose($"Sending build context to the engine: {Display.Size(size)} ({size.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
                string id;
                var monitor = new BuildMonitor(
                    line => Post(() => WriteInformation(new InformationRecord(line, "Build-DockerImage") { Tags = { "Build" } })),
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

        /// <summary>The Dockerfile's path relative to the context, as the engine wants it; it must lie inside the context.</summary>
        private string DockerfileInside(string context)
        {
            string full = System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(Dockerfile) ? Dockerfile : System.IO.Path.Combine(context, Dockerfile));
            string root = System.IO.Path.GetFullPath(context).TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full))
            {
                ThrowTerminatingError(new DockerPSException(ErrorIds.BuildContextNotFound, ErrorCategory.ObjectNotFound, full,
                    File.Exists(full)
                        ? $"The Dockerfile '{full}' is outside the build context '{context}'. Move it into the context folder."
                        : $"There is no Dockerfile at '{full}'. Use -Dockerfile to name it.").ToErrorRecord());
            }

            return full.Substring(root.Length).Replace('\\', '/');
        }

        /// <summary>Packs the context into a temporary tar, with progress; returns its size.</summary>
        private long Pack(string context, string dockerfile, string packed)
        {
            var watch = Stopwatch.StartNew();
            long last = -1;
            using var output = new FileStream(packed, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            long size = Await(ct => BuildContext.WriteTarAsync(context, dockerfile, output, bytes =>
            {
                if (watch.ElapsedMilliseconds - last >= 250)
                {
                    last = watch.ElapsedMilliseconds;
                    Post(() => WriteProgress(new ProgressRecord(4, "Packing build context", $"{context}: {Display.Size(bytes)}")));
                }
            }, ct));
            WriteProgress(new ProgressRecord(4, "Packing build context", "Done") { RecordType = ProgressRecordType.Completed });
            return size;
        }
    }
}
