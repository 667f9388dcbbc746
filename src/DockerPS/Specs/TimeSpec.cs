using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using DockerPS.Errors;

namespace DockerPS.Specs
{
    /// <summary>Durations and moments as users write them: TimeSpans, DateTimes, and docker's '90s', '1h30m', '7d'.</summary>
    internal static class TimeSpec
    {
        private static readonly Regex DurationPart = new Regex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex UnixSecondsText = new Regex(@"^(\d+)(?:\.(\d{1,9})\d*)?$", RegexOptions.CultureInvariant);
        private static readonly Regex Rfc3339 = new Regex(@"^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9})\d*)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);
        private static readonly Regex Duration = new Regex(@"^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>'500ms', '90s', '1h30m', '7d' (docker's units, combinable), or a TimeSpan string such as '1.02:00:00'.</summary>
        public static bool TryParseDuration(string text, out TimeSpan duration)
        {
            string t = text.Trim();
            if (Duration.IsMatch(t))
            {
                double ms = 0;
                foreach (Match part in DurationPart.Matches(t))
                {
                    double n = double.Parse(part.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
                    ms += n * part.Groups[2].Value.ToLowerInvariant() switch
                    {
                        "ms" => 1,
                        "s" => 1000,
                        "m" => 60_000,
                        "h" => 3_600_000,
                        _ => 86_400_000,
                    };
                }

                duration = TimeSpan.FromMilliseconds(ms);
                return true;
            }

            return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out duration);
        }

        /// <summary>True for the numbers PowerShell makes of unquoted durations such as 7d (decimal) or 90s (short).</summary>
        public static bool IsNumber(object raw) =>
            raw is int || raw is long || raw is short || raw is decimal || raw is double || raw is float || raw is byte
            || raw is sbyte || raw is ushort || raw is uint || raw is ulong;

        /// <summary>-Until of the prunes: a DateTime as is; a TimeSpan (or '24h', '30m', '2d', '1.02:00:00') as that long ago.</summary>
        public static DateTime ParseUntil(object value) => PointInTime(value, "Until", ErrorIds.InvalidFilter);

        /// <summary>
        /// A point in time given as a parameter: a DateTime as is; a TimeSpan (or '24h', '1h30m', '1.02:00:00') as that
        /// long ago; a date string. Numbers are refused: PowerShell reads 7d or 90s unquoted as numbers, which would
        /// silently mean something else.
        /// </summary>
        public static DateTime PointInTime(object value, string parameter, string errorId)
        {
            object raw = value is PSObject ps ? ps.BaseObject : value;
            if (IsNumber(raw))
            {
                throw new DockerPSException(errorId, ErrorCategory.InvalidArgument, raw,
                    $"-{parameter} got the number {raw}: PowerShell reads 7d or 90s unquoted as numbers. Quote durations, as in -{parameter} '7d', or give a TimeSpan or DateTime.");
            }

            switch (raw)
            {
                case DateTime date:
                    return date;
                case DateTimeOffset offset:
                    return offset.UtcDateTime;
                case TimeSpan span:
                    return DateTime.UtcNow - span;
                case string text:
                    if (TryParseDuration(text, out TimeSpan ago))
                    {
                        return DateTime.UtcNow - ago;
                    }

                    if (DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out DateTime parsedDate))
                    {
                        return parsedDate;
                    }

                    break;
            }

            throw new DockerPSException(errorId, ErrorCategory.InvalidArgument, raw,
                $"-{parameter} '{raw}' is neither a date nor a duration. Give a DateTime, a TimeSpan, or a string such as '24h', '7d' or '2026-01-31'.");
        }

        /// <summary>
        /// A point in time as the engine's since and until arguments take it, as precise as the user wrote it: Unix
        /// seconds ('1700000000', '1700000000.123456789'), as docker logs takes them; an RFC 3339 time with up to nine
        /// fraction digits, as -Timestamps shows them (a DateTime would cut it to 100 ns); or what
        /// <see cref="PointInTime"/> takes.
        /// </summary>
        public static string EngineTimeArgument(object value, string parameter, string errorId)
        {
            object raw = value is PSObject ps ? ps.BaseObject : value;

            // Unquoted, 1700000000 arrives as an int and 1700000000.5 as a double (about 100 ns precise; quoted text
            // keeps every digit). 7d (decimal) and 90s (short) still go to PointInTime's refusal.
            string? text = raw switch
            {
                string s => s.Trim(),
                int n => n.ToString(CultureInfo.InvariantCulture),
                long n => n.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString("0.#########", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text != null)
            {
                Match unix = UnixSecondsText.Match(text);
                if (unix.Success)
                {
                    return unix.Groups[1].Value + "." + unix.Groups[2].Value.PadRight(9, '0');
                }

                Match rfc = Rfc3339.Match(text);
                if (rfc.Success && DateTimeOffset.TryParseExact(rfc.Groups[1].Value + (rfc.Groups[3].Value == "Z" || rfc.Groups[3].Value == "z" ? "+00:00" : rfc.Groups[3].Value),
                        "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset whole))
                {
                    return whole.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + rfc.Groups[2].Value.PadRight(9, '0');
                }
            }

            return UnixTime.Argument(PointInTime(value, parameter, errorId));
        }

        /// <summary>The engine's 'until' filter value: whole seconds since 1970, which is also what its comparison sees.</summary>
        public static long UnixSeconds(DateTime moment) =>
            (long)Math.Floor((moment.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds);
    }
}
