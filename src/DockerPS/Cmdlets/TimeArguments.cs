using System;
using System.Globalization;
using System.Management.Automation;
using DockerPS.Errors;

namespace DockerPS.Cmdlets
{
    /// <summary>How DockerPS reads points in time and durations given as parameters.</summary>
    internal static class TimeArguments
    {
        /// <summary>
        /// A DateTime as is; a TimeSpan (or '24h', '30m', '2d', '1.02:00:00') as that long ago; a date string. Numbers
        /// are refused: PowerShell reads 7d or 90s unquoted as numbers, which would silently mean something else.
        /// </summary>
        internal static DateTime PointInTime(object value, string parameter, string errorId)
        {
            object raw = value is PSObject ps ? ps.BaseObject : value;
            if (IsNumber(raw))
            {
                throw new DockerPSException(errorId, ErrorCategory.InvalidArgument, value,
                    $"-{parameter} got the number {value}: PowerShell reads 7d or 90s unquoted as numbers. Quote durations, as in -{parameter} '7d', or give a TimeSpan or DateTime.");
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

            throw new DockerPSException(errorId, ErrorCategory.InvalidArgument, value,
                $"-{parameter} '{value}' is neither a date nor a duration. Give a DateTime, a TimeSpan, or a string such as '24h', '7d' or '2026-01-31'.");
        }

        /// <summary>'90s', '30m', '24h', '7d', or a TimeSpan's own text such as '1.02:00:00'.</summary>
        internal static bool TryParseDuration(string text, out TimeSpan span)
        {
            string t = text.Trim();
            if (t.Length > 1 && double.TryParse(t.Substring(0, t.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0)
            {
                switch (char.ToLowerInvariant(t[t.Length - 1]))
                {
                    case 's': span = TimeSpan.FromSeconds(n); return true;
                    case 'm': span = TimeSpan.FromMinutes(n); return true;
                    case 'h': span = TimeSpan.FromHours(n); return true;
                    case 'd': span = TimeSpan.FromDays(n); return true;
                }
            }

            return TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out span);
        }

        internal static bool IsNumber(object raw) =>
            raw is int || raw is long || raw is short || raw is decimal || raw is double || raw is float || raw is byte || raw is uint || raw is ulong || raw is ushort || raw is sbyte;
    }

    /// <summary>
    /// Lets a TimeSpan parameter take a number of seconds (PowerShell alone would read 30 as 30 ticks) or a duration
    /// such as '90s' or '5m'.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class SecondsOrTimeSpanAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object raw = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (TimeArguments.IsNumber(raw))
            {
                return TimeSpan.FromSeconds(Convert.ToDouble(raw, CultureInfo.InvariantCulture));
            }

            if (raw is string text && TimeArguments.TryParseDuration(text, out TimeSpan span))
            {
                return span;
            }

            return inputData;
        }
    }
}
