using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Docker.DotNet.Models;

namespace DockerPS.Client
{
    /// <summary>One layer of a pull or push, as the engine last told it.</summary>
    internal readonly struct LayerProgress
    {
        public LayerProgress(string id, int index, string status, long current, long total, bool done)
        {
            Id = id;
            Index = index;
            Status = status;
            Current = current;
            Total = total;
            Done = done;
        }

        /// <summary>The layer id, as the engine gives it (12 hex digits).</summary>
        public string Id { get; }

        /// <summary>The order in which the layer first appeared, from 0; it stays the same for the whole transfer.</summary>
        public int Index { get; }

        /// <summary>The engine's words for the layer's state ("Downloading", "Pull complete").</summary>
        public string Status { get; }

        /// <summary>Bytes done, out of <see cref="Total"/> (0 when the engine gave no size).</summary>
        public long Current { get; }

        public long Total { get; }

        public bool Done { get; }
    }

    /// <summary>The whole of a pull or push: layers done out of layers seen, bytes done out of bytes known.</summary>
    internal readonly struct TransferTotals
    {
        public TransferTotals(int layersDone, int layers, long current, long total)
        {
            LayersDone = layersDone;
            Layers = layers;
            Current = current;
            Total = total;
        }

        public int LayersDone { get; }

        public int Layers { get; }

        public long Current { get; }

        public long Total { get; }
    }

    /// <summary>Who hears a transfer's progress; called from any thread, never under a lock of the transfer's.</summary>
    internal interface ITransferObserver
    {
        /// <summary>A layer changed (at most every 200 ms, and once when it is done).</summary>
        void Layer(LayerProgress layer);

        /// <summary>The whole transfer's state (at most every 200 ms).</summary>
        void Totals(TransferTotals totals);

        /// <summary>A message about the whole image or a tag rather than one layer.</summary>
        void Status(string text);

        /// <summary>The transfer ended, well or not; every layer seen is listed.</summary>
        void Completed(IReadOnlyList<LayerProgress> layers);
    }

    /// <summary>
    /// Reads the engine's pull/push message stream: the state of each layer and of the whole, errors reported inside
    /// the stream, and the digest; what it hears goes to an <see cref="ITransferObserver"/> as plain values.
    /// </summary>
    internal sealed class TransferProgress : IProgress<JSONMessage>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

        private readonly object gate = new object();
        private readonly ITransferObserver observer;
        private readonly Dictionary<string, Layer> layers = new Dictionary<string, Layer>(StringComparer.Ordinal);
        private readonly List<string> errors = new List<string>();
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan lastParent = TimeSpan.FromDays(-1);

        public TransferProgress(ITransferObserver observer) => this.observer = observer;

        /// <summary>Errors the engine reported inside the stream.</summary>
        public IReadOnlyList<string> Errors
        {
            get { lock (gate) { return errors.ToArray(); } }
        }

        /// <summary>The digest the engine reported at the end ("Digest: sha256:…"), if any.</summary>
        public string? Digest { get; private set; }

        public void Report(JSONMessage value)
        {
            LayerProgress? changed = null;
            TransferTotals? totals = null;
            string? message = null;
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
                        message = string.IsNullOrEmpty(value.ID) ? text : $"{value.ID}: {text}";
                    }
                }
                else
                {
                    (changed, totals) = Track(value.ID!, text, value.Progress);
                }
            }

            if (message != null)
            {
                observer.Status(message);
            }

            if (changed.HasValue)
            {
                observer.Layer(changed.Value);
            }

            if (totals.HasValue)
            {
                observer.Totals(totals.Value);
            }
        }

        /// <summary>Closes every bar: the transfer ended, well or not.</summary>
        public void Complete()
        {
            LayerProgress[] all;
            lock (gate)
            {
                all = layers.Values.Select(Snapshot).ToArray();
            }

            observer.Completed(all);
        }

        /// <summary>Updates a layer (under the lock); returns what is due to be told of it and of the whole.</summary>
        private (LayerProgress? Layer, TransferTotals? Totals) Track(string id, string text, JSONProgress? progress)
        {
            if (!layers.TryGetValue(id, out Layer? layer))
            {
                layer = new Layer(id, layers.Count);
                layers.Add(id, layer);
            }

            layer.Status = text;
            if (progress?.Total > 0)
            {
                layer.Total = progress.Total.Value;
                layer.Current = Math.Min(progress.Current ?? 0, layer.Total);
            }

            layer.Done = IsDone(text);
            if (layer.Done && layer.Total > 0)
            {
                layer.Current = layer.Total;
            }

            LayerProgress? changed = null;
            TransferTotals? totals = null;
            TimeSpan now = clock.Elapsed;
            if (layer.Done || now - layer.LastWritten >= Interval)
            {
                layer.LastWritten = now;
                changed = Snapshot(layer);
            }

            if (now - lastParent >= Interval)
            {
                lastParent = now;
                totals = Totals();
            }

            return (changed, totals);
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

        private static LayerProgress Snapshot(Layer l) => new LayerProgress(l.Id, l.Index, l.Status, l.Current, l.Total, l.Done);

        private TransferTotals Totals() =>
            new TransferTotals(layers.Values.Count(l => l.Done), layers.Count, layers.Values.Sum(l => l.Current), layers.Values.Sum(l => l.Total));

        private sealed class Layer
        {
            public Layer(string id, int index)
            {
                Id = id;
                Index = index;
            }

            public string Id { get; }

            public int Index { get; }

            public string Status { get; set; } = string.Empty;

            public long Current { get; set; }

            public long Total { get; set; }

            public bool Done { get; set; }

            public TimeSpan LastWritten { get; set; } = TimeSpan.FromDays(-1);
        }
    }
}
