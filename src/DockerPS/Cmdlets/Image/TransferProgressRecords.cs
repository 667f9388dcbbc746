using System;
using System.Collections.Generic;
using System.Management.Automation;
using DockerPS.Client;

namespace DockerPS.Cmdlets.Image
{
    /// <summary>
    /// Shows a pull or push as progress records: one parent bar for the image and one child bar per layer, each with an
    /// activity id that stays the same for the whole transfer. Records are queued for the pipeline thread.
    /// </summary>
    internal sealed class TransferProgressRecords : ITransferObserver
    {
        private const int ParentId = 1;

        private readonly DockerCmdletBase cmdlet;
        private readonly string activity;

        public TransferProgressRecords(DockerCmdletBase cmdlet, string activity)
        {
            this.cmdlet = cmdlet;
            this.activity = activity;
        }

        public void Layer(LayerProgress layer)
        {
            string detail = layer.Total > 0 ? $"{layer.Status} {Display.Size(layer.Current)}/{Display.Size(layer.Total)}" : layer.Status;
            var record = new ProgressRecord(ActivityId(layer), $"Layer {Short(layer.Id)}", detail) { ParentActivityId = ParentId };
            if (layer.Done)
            {
                record.PercentComplete = 100;
            }
            else if (layer.Total > 0)
            {
                record.PercentComplete = (int)Math.Min(99, layer.Current * 100 / layer.Total);
            }

            cmdlet.PostProgress(record);
        }

        public void Totals(TransferTotals totals)
        {
            var record = new ProgressRecord(ParentId, activity,
                $"{totals.LayersDone} of {totals.Layers} layers done, {Display.Size(totals.Current)} of {Display.Size(totals.Total)}");
            if (totals.Layers > 0)
            {
                record.PercentComplete = totals.Total > 0 ? (int)Math.Min(100, totals.Current * 100 / totals.Total) : totals.LayersDone * 100 / totals.Layers;
            }

            cmdlet.PostProgress(record);
        }

        public void Status(string text) => cmdlet.PostVerbose(text);

        public void Completed(IReadOnlyList<LayerProgress> layers)
        {
            foreach (LayerProgress layer in layers)
            {
                cmdlet.PostProgress(new ProgressRecord(ActivityId(layer), Short(layer.Id), "Done") { ParentActivityId = ParentId, RecordType = ProgressRecordType.Completed });
            }

            cmdlet.PostProgress(new ProgressRecord(ParentId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        private static int ActivityId(LayerProgress layer) => ParentId + 1 + layer.Index;

        private static string Short(string id) => id.Length > 12 ? id.Substring(0, 12) : id;
    }
}
