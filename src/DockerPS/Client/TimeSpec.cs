using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using DockerPS.Errors;

namespace DockerPS.Client
{
    /// <summary>Durations and moments as users write them: TimeSpans, DateTimes, and docker's '90s', '1h30m', '7d'.</summary>
    internal static class TimeSpec
    {
        private static readonly Regex DurationPart = new Regex(@"(\d+(?:\.\d+)?)(ms|s|m|h|d)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
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

        /// <summary>The engine's 'until' filter value: whole seconds since 1970, which is also what its comparison sees.</summary>
        public static long UnixSeconds(DateTime moment) =>
            (long)Math.Floor((moment.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds);
    }
}
