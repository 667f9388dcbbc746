using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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

        /// <summary>A host address as it stands before ":port": IPv6 in brackets ("[::]"), as docker writes it.</summary>
        public static string HostAddress(string ip) => ip.IndexOf(':') >= 0 ? "[" + ip + "]" : ip;

        /// <summary>
        /// Every port of a container, joined as docker ps joins them: ports published on the same host port as inside,
        /// or only exposed, are grouped into ranges per address and protocol ("0.0.0.0:80-81->80-81/tcp"); other
        /// mappings follow one by one.
        /// </summary>
        public static string Ports(IEnumerable<ContainerPort>? ports)
        {
            if (ports == null)
            {
                return string.Empty;
            }

            // Same order as docker ps: a range is written when the next port of its kind does not extend it; the ranges
            // still open at the end follow in the order their kinds first appeared, then the other mappings.
            var written = new List<string>();
            var open = new Dictionary<string, (int First, int Last)>(StringComparer.Ordinal);
            var kinds = new List<string>();
            var mappings = new List<string>();
            foreach (ContainerPort port in ports
                .OrderBy(p => p.PrivatePort).ThenBy(p => p.HostIP ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(p => p.PublicPort ?? 0).ThenBy(p => p.Protocol, StringComparer.Ordinal))
            {
                string? address = port.PublicPort.HasValue ? (string.IsNullOrEmpty(port.HostIP) ? "0.0.0.0" : port.HostIP) : null;
                if (address != null && port.PublicPort != port.PrivatePort)
                {
                    mappings.Add(port.ToString());
                    continue;
                }

                string kind = address == null ? port.Protocol : address + "|" + port.Protocol;
                if (!open.TryGetValue(kind, out var range))
                {
                    kinds.Add(kind);
                }
                else if (range.Last + 1 == port.PrivatePort)
                {
                    open[kind] = (range.First, port.PrivatePort);
                    continue;
                }
                else
                {
                    written.Add(FormRange(kind, range.First, range.Last));
                }

                open[kind] = (port.PrivatePort, port.PrivatePort);
            }

            return string.Join(", ", written.Concat(kinds.Select(k => FormRange(k, open[k].First, open[k].Last))).Concat(mappings));
        }

        private static string FormRange(string key, int first, int last)
        {
            string span = first == last ? first.ToString(CultureInfo.InvariantCulture)
                : first.ToString(CultureInfo.InvariantCulture) + "-" + last.ToString(CultureInfo.InvariantCulture);
            int bar = key.LastIndexOf('|');
            return bar < 0 ? span + "/" + key : $"{HostAddress(key.Substring(0, bar))}:{span}->{span}/{key.Substring(bar + 1)}";
        }

        /// <summary>"a=1, b=2": labels or options in key order.</summary>
        public static string Pairs(IReadOnlyDictionary<string, string>? pairs) =>
            pairs == null ? string.Empty : string.Join(", ", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

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
