using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>
    /// Turns the engine's pull/push message stream into progress records: one parent bar for the image and one
    /// child bar per layer, each with an activity id that stays the same for the whole transfer.
    /// </summary>
    internal sealed class TransferProgress : IProgress<JSONMessage>
    {
        private const int ParentId = 1;
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

        private readonly object gate = new object();
        private readonly string activity;
        private readonly Action<ProgressRecord> write;
        private readonly Action<string> status;
        private readonly Dictionary<string, Layer> layers = new Dictionary<string, Layer>(StringComparer.Ordinal);
        private readonly List<string> errors = new List<string>();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan lastParent = TimeSpan.FromDays(-1);

        public TransferProgress(string activity, Action<ProgressRecord> write, Action<string> status)
        {
            this.activity = activity;
            this.write = write;
            this.status = status;
        }

        /// <summary>Errors the engine reported inside the stream.</summary>
        public IReadOnlyList<string> Errors
        {
            get { lock (gate) { return errors.ToArray(); } }
        }

        /// <summary>The digest the engine reported at the end ("Digest: sha256:…"), if any.</summary>
        public string? Digest { get; private set; }

        public void Report(JSONMessage value)
        {
            var records = new List<ProgressRecord>();
            lock (gate)
            {
                if (value.Error != null && !string.IsNullOrEmpty(value.Error.Message))
                {
                    errors.Add(value.Error.Message!.Trim());
                    return;
                }

                string text = (value.Status ?? value.Stream ?? string.Empty).Trim();
                int digestAt = text.IndexOf("digest: ", StringComparison.OrdinalIgnoreCase);
                if (digestAt >= 0)
                {
                    // Pull: "Digest: sha256:…"; push: "<tag>: digest: sha256:… size: N".
                    string rest = text.Substring(digestAt + 8).Trim();
                    int space = rest.IndexOf(' ');
                    Digest = space > 0 ? rest.Substring(0, space) : rest;
                }

                if (string.IsNullOrEmpty(value.ID) || text.Length == 0 || !IsLayerId(value.ID!))
                {
                    // Messages about the whole image (or a tag) rather than one layer.
                    if (text.Length > 0)
                    {
                        status(string.IsNullOrEmpty(value.ID) ? text : $"{value.ID}: {text}");
                    }

                    return;
                }

                if (!layers.TryGetValue(value.ID!, out Layer? layer))
                {
                    layer = new Layer(value.ID!, ParentId + 1 + layers.Count);
                    layers.Add(value.ID!, layer);
                }

                layer.Status = text;
                if (value.Progress?.Total > 0)
                {
                    layer.Total = value.Progress.Total.Value;
                    layer.Current = Math.Min(value.Progress.Current ?? 0, layer.Total);
                }

                layer.Done = IsDone(text);
                if (layer.Done && layer.Total > 0)
                {
                    layer.Current = layer.Total;
                }

                TimeSpan now = clock.Elapsed;
                if (layer.Done || now - layer.LastWritten >= Interval)
                {
                    layer.LastWritten = now;
                    records.Add(LayerRecord(layer));
                }

                if (now - lastParent >= Interval)
                {
                    lastParent = now;
                    records.Add(ParentRecord());
                }
            }

            foreach (ProgressRecord record in records)
            {
                write(record);
            }
        }

        /// <summary>Closes every bar: the transfer ended, well or not.</summary>
        public void Complete()
        {
            List<ProgressRecord> records;
            lock (gate)
            {
                records = layers.Values.Select(l => new ProgressRecord(l.ActivityId, Short(l.Id), "Done") { ParentActivityId = ParentId, RecordType = ProgressRecordType.Completed }).ToList();
                records.Add(new ProgressRecord(ParentId, activity, "Done") { RecordType = ProgressRecordType.Completed });
            }

            foreach (ProgressRecord record in records)
            {
                write(record);
            }
        }

        /// <summary>Layers go by 12 hex digits; other ids (a tag such as "latest") speak of the whole image.</summary>
        private static bool IsLayerId(string id)
        {
            if (id.Length != 12)
            {
                return false;
            }

            foreach (char ch in id)
            {
                if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsDone(string text) =>
            text.StartsWith("Pull complete", StringComparison.Ordinal) || text.StartsWith("Already exists", StringComparison.Ordinal)
            || text.StartsWith("Pushed", StringComparison.Ordinal) || text.StartsWith("Layer already exists", StringComparison.Ordinal)
            || text.StartsWith("Mounted from", StringComparison.Ordinal);

        private static string Short(string id) => id.Length > 12 ? id.Substring(0, 12) : id;

        private ProgressRecord LayerRecord(Layer layer)
        {
            string detail = layer.Total > 0 ? $"{layer.Status} {Display.Size(layer.Current)}/{Display.Size(layer.Total)}" : layer.Status;
            var record = new ProgressRecord(layer.ActivityId, $"Layer {Short(layer.Id)}", detail) { ParentActivityId = ParentId };
            if (layer.Done)
            {
                record.PercentComplete = 100;
            }
            else if (layer.Total > 0)
            {
                record.PercentComplete = (int)Math.Min(99, layer.Current * 100 / layer.Total);
            }

            return record;
        }

        private ProgressRecord ParentRecord()
        {
            int done = layers.Values.Count(l => l.Done);
            long total = layers.Values.Sum(l => l.Total);
            long current = layers.Values.Sum(l => l.Current);
            var record = new ProgressRecord(ParentId, activity, $"{done} of {layers.Count} layers done, {Display.Size(current)} of {Display.Size(total)}");
            if (layers.Count > 0)
            {
                record.PercentComplete = total > 0 ? (int)Math.Min(100, current * 100 / total) : done * 100 / layers.Count;
            }

            return record;
        }

        private sealed class Layer
        {
            public Layer(string id, int activityId)
            {
                Id = id;
                ActivityId = activityId;
            }

            public string Id { get; }

            public int ActivityId { get; }

            public string Status { get; set; } = string.Empty;

            public long Current { get; set; }

            public long Total { get; set; }

            public bool Done { get; set; }

            public TimeSpan LastWritten { get; set; } = TimeSpan.FromDays(-1);
        }
    }
}
