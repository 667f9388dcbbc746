using System;
using System.Management.Automation;

namespace DockerPS.Archives
{
    /// <summary>
    /// Progress of one byte stream (a save, an export, a copy): how much has gone, out of how much when that is
    /// known, and the rate. Reports come from any thread; records go out at most four times a second.
    /// </summary>
    internal sealed class ByteProgress
    {
        private readonly int activityId;
        private readonly string activity;
        private readonly string subject;
        private readonly Action<ProgressRecord> write;
        private readonly ProgressThrottle throttle = new ProgressThrottle();

        /// <param name="activityId">The progress bar's id.</param>
        /// <param name="activity">What is happening ("Saving images").</param>
        /// <param name="subject">What it happens to (a path), shown before the numbers.</param>
        /// <param name="expected">The total in bytes, or 0 when not known; an estimate is shown as one.</param>
        /// <param name="write">Queues a record for the pipeline thread.</param>
        public ByteProgress(int activityId, string activity, string subject, long expected, Action<ProgressRecord> write)
        {
            this.activityId = activityId;
            this.activity = activity;
            this.subject = subject;
            this.write = write;
            Expected = expected;
        }

        /// <summary>The expected total in bytes; 0 when not known.</summary>
        public long Expected { get; set; }

        public void Report(long bytes)
        {
            if (!throttle.Due())
            {
                return;
            }

            double mib = bytes / 1048576.0;
            double seconds = throttle.Elapsed.TotalSeconds;
            double rate = seconds > 0 ? mib / seconds : 0;
            long expected = Expected;
            string of = expected > 0 ? $" of about {expected / 1048576.0:F1} MiB" : string.Empty;
            var record = new ProgressRecord(activityId, activity, $"{subject}: {mib:F1} MiB{of} ({rate:F1} MiB/s)");
            if (expected > 0)
            {
                record.PercentComplete = (int)Math.Min(99, bytes * 100 / expected);
            }

            write(record);
        }

        /// <summary>The record that closes the bar.</summary>
        public ProgressRecord Completed() => new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed };
    }
}
