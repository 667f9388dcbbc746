using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Client;
using DockerPS.Errors;
using DockerPS.Specs;

namespace DockerPS.Cmdlets.Container
{
    /// <summary>
    /// Reads containers' logs, like docker logs: one object per line with the container, the stream, the timestamp and
    /// the message. Logs of several containers come out labelled by container; with -Follow they are followed together.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "DockerContainerLog", DefaultParameterSetName = ByName)]
    [OutputType(typeof(DockerContainerLogEntry))]
    [OutputType(typeof(string))]
    public sealed class GetDockerContainerLogCommand : ContainerTargetCmdlet
    {
        private readonly List<(EngineConnection Connection, DockerContainer Container)> containers = new List<(EngineConnection, DockerContainer)>();
        private readonly LogOptions options = new LogOptions();

        /// <summary>Keep writing new lines as the containers write them, until they stop or Ctrl+C.</summary>
        [Parameter]
        public SwitchParameter Follow { get; set; }

        /// <summary>Only this many lines from the end of each log, or all.</summary>
        [Parameter]
        [ValidateTail]
        public string Tail { get; set; } = "all";

        /// <summary>
        /// Only lines written since then: a DateTime, a time as -Timestamps shows it (to the nanosecond), Unix seconds
        /// ('1700000000.5'), or a TimeSpan (or '10m', '2h') meaning that long ago.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public object? Since { get; set; }

        /// <summary>
        /// Only lines written up to then (that very time included): a DateTime, a time as -Timestamps shows it (to the
        /// nanosecond), Unix seconds ('1700000000.5'), or a TimeSpan (or '10m', '2h') meaning that long ago.
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public object? Until { get; set; }

        /// <summary>Show each line's timestamp in the default view and in -Raw text, as docker logs -t does.</summary>
        [Parameter]
        public SwitchParameter Timestamps { get; set; }

        /// <summary>Write plain strings, as docker logs prints them, instead of objects.</summary>
        [Parameter]
        public SwitchParameter Raw { get; set; }

        protected override void BeginProcessingCore()
        {
            try
            {
                options.Follow = Follow;
                options.Tail = Tail.ToLowerInvariant();
                options.Since = Since == null ? null : TimeSpec.EngineTimeArgument(Since, nameof(Since), ErrorIds.InvalidTime);
                options.Until = Until == null ? null : TimeSpec.EngineTimeArgument(Until, nameof(Until), ErrorIds.InvalidTime);
            }
            catch (DockerPSException ex)
            {
                ThrowTerminatingError(ex.ToErrorRecord());
            }
        }

        /// <summary>Gathers the containers first, so that the labels fit them all and -Follow follows them together.</summary>
        private protected override async Task<object?> ActAsync(EngineConnection connection, Target<DockerContainer> target, string shown, CancellationToken cancellationToken)
        {
            DockerContainer container = await ContainerClient.GetAsync(connection, target.Reference, cancellationToken).ConfigureAwait(false);
            lock (containers)
            {
                if (!containers.Any(c => c.Container.Id == container.Id && c.Container.DockerHost.Key == container.DockerHost.Key))
                {
                    containers.Add((connection, container));
                }
            }

            return null;
        }

        protected override void EndProcessingCore()
        {
            base.EndProcessingCore();
            int labelWidth = containers.Count > 1 ? containers.Max(c => c.Container.ToString().Length) : 0;
            if (Follow)
            {
                Await(ct => Task.WhenAll(containers.Select(c => FollowOne(c.Connection, c.Container, labelWidth, ct))));
                return;
            }

            foreach (var (connection, container) in containers)
            {
                try
                {
                    Await(ct => ContainerClient.LogsAsync(connection, container.Id, options, Writer(container, labelWidth), ct));
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    WriteItemError(ex, container.ToString(), ResourceKind.Container, container.DockerHost);
                }
            }
        }

        /// <summary>Follows one container's log; its failure is its own error, and the others go on.</summary>
        private async Task FollowOne(EngineConnection connection, DockerContainer container, int labelWidth, CancellationToken ct)
        {
            try
            {
                await ContainerClient.LogsAsync(connection, container.Id, options, Writer(container, labelWidth), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                Post(() => WriteItemError(ex, container.ToString(), ResourceKind.Container, container.DockerHost));
            }
        }

        /// <summary>What each line of a container becomes: an object, or with -Raw the text the default view shows.</summary>
        private Action<LogStream, DateTime, string, string> Writer(DockerContainer container, int labelWidth) =>
            (stream, when, stamp, message) =>
            {
                var entry = new DockerContainerLogEntry(container.DockerHost, container.ToString(), container.Id, stream, when, stamp, message)
                {
                    LabelWidth = labelWidth,
                    ShowTimestamp = Timestamps,
                };
                Post(() => WriteObject(Raw ? (object)entry.ToString() : entry));
            };

        /// <summary>Accepts 'all' or a number of lines that is zero or more.</summary>
        [AttributeUsage(AttributeTargets.Property)]
        private sealed class ValidateTailAttribute : ValidateArgumentsAttribute
        {
            protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
            {
                string text = arguments as string ?? Convert.ToString(arguments, CultureInfo.InvariantCulture) ?? string.Empty;
                if (!string.Equals(text, "all", StringComparison.OrdinalIgnoreCase)
                    && !(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int lines) && lines >= 0))
                {
                    throw new ValidationMetadataException($"-Tail takes a number of lines (0 or more) or 'all', not '{text}'.");
                }
            }
        }
    }
}
