using System;
using System.Diagnostics;

namespace DockerPS.Archives
{
    /// <summary>
    /// When a progress record may go out: with the first report at once, then at most four times a second. Safe to ask
    /// from any thread.
    /// </summary>
    internal sealed class ProgressThrottle
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly Stopwatch clock = Stopwatch.StartNew();
        private readonly object gate = new object();
        private TimeSpan last = TimeSpan.FromDays(-1);

        /// <summary>Time since the throttle was made.</summary>
        public TimeSpan Elapsed => clock.Elapsed;

        /// <summary>True when a record may go out now (and counts it as gone).</summary>
        public bool Due()
        {
            lock (gate)
            {
                TimeSpan now = clock.Elapsed;
                if (now - last < Interval)
                {
                    return false;
                }

                last = now;
                return true;
            }
        }
    }
}
