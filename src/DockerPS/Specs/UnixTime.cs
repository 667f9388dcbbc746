using System;
using System.Globalization;

namespace DockerPS.Specs
{
    /// <summary>Times as the engine's since and until arguments take them; plain .NET, so Client and the parsers share it.</summary>
    internal static class UnixTime
    {
        private static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>Unix seconds with nine fraction digits; an unspecified kind is read as local time.</summary>
        public static string Argument(DateTime when)
        {
            long ticks = (when.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(when, DateTimeKind.Local) : when).ToUniversalTime().Ticks - Epoch.Ticks;
            long seconds = ticks / TimeSpan.TicksPerSecond;
            long nanos = (ticks % TimeSpan.TicksPerSecond) * 100;
            if (nanos < 0)
            {
                seconds--;
                nanos += 1_000_000_000;
            }

            return seconds.ToString(CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture);
        }
    }
}
