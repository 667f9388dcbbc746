using System;
using System.Globalization;

namespace DockerPS
{
    /// <summary>Renders values the way the docker CLI shows them; the format views call it.</summary>
    public static class Display
    {
        /// <summary>"4.26MB": decimal units, three significant digits, as docker prints sizes.</summary>
        public static string Size(long bytes)
        {
            string[] units = { "B", "kB", "MB", "GB", "TB", "PB" };
            double value = bytes;
            int unit = 0;
            while (value >= 1000 && unit < units.Length - 1)
            {
                value /= 1000;
                unit++;
            }

            string number = value >= 100 || unit == 0 ? value.ToString("0", CultureInfo.InvariantCulture)
                : value >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture)
                : value.ToString("0.##", CultureInfo.InvariantCulture);
            return number + units[unit];
        }

        /// <summary>"1.465MiB": binary units, four significant digits, as docker stats prints memory.</summary>
        public static string BinarySize(long bytes)
        {
            string[] units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
            double value = bytes;
            int unit = 0;
            while (value >= 1024 && unit < units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            return value.ToString("G4", CultureInfo.InvariantCulture) + units[unit];
        }

        /// <summary>"3 minutes ago", relative to now.</summary>
        public static string Age(DateTime whenUtc)
        {
            if (whenUtc == DateTime.MinValue)
            {
                return string.Empty;
            }

            TimeSpan age = DateTime.UtcNow - whenUtc.ToUniversalTime();
            return Duration(age) + " ago";
        }

        /// <summary>"About a minute", "2 hours", "3 weeks"… as docker words durations.</summary>
        public static string Duration(TimeSpan span)
        {
            double s = Math.Max(0, span.TotalSeconds);
            if (s < 1)
            {
                return "Less than a second";
            }

            if (s < 60)
            {
                return Plural((int)s, "second");
            }

            double m = span.TotalMinutes;
            if (m < 2)
            {
                return "About a minute";
            }

            if (m < 60)
            {
                return Plural((int)m, "minute");
            }

            double h = span.TotalHours;
            if (h < 2)
            {
                return "About an hour";
            }

            if (h < 48)
            {
                return Plural((int)h, "hour");
            }

            double d = span.TotalDays;
            if (d < 14)
            {
                return Plural((int)d, "day");
            }

            if (d < 60)
            {
                return Plural((int)(d / 7), "week");
            }

            return d < 730 ? Plural((int)(d / 30), "month") : Plural((int)(d / 365), "year");
        }

        /// <summary>A command cut to width with an ellipsis, quoted as docker ps shows it.</summary>
        public static string Command(string command, int width)
        {
            string text = command.Length > width ? command.Substring(0, Math.Max(0, width - 1)) + "…" : command;
            return "\"" + text + "\"";
        }

        private static string Plural(int n, string unit) =>
            n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? string.Empty : "s");
    }
}
