using System;
using System.Management.Automation;

namespace DockerPS.Specs
{
    /// <summary>
    /// Lets TimeSpan parameters take docker's durations ('30s', '1m30s', '500ms') as well as TimeSpans, and refuses bare
    /// numbers: PowerShell would take 30 as ticks, and reads 30s unquoted as the number 30.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class DurationTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? raw = inputData is PSObject ps ? ps.BaseObject : inputData;
            switch (raw)
            {
                case null:
                    return null;
                case TimeSpan span:
                    return span;
                case string text when TimeSpec.TryParseDuration(text, out TimeSpan parsed):
                    return parsed;
            }

            if (TimeSpec.IsNumber(raw))
            {
                throw new ArgumentTransformationMetadataException(
                    $"The number {raw} is not a duration (PowerShell reads 30s unquoted as the number 30). Quote durations, as in '30s' or '1m30s', or give a TimeSpan.");
            }

            throw new ArgumentTransformationMetadataException(
                $"'{raw}' is not a duration. Give a TimeSpan, or a string such as '500ms', '30s', '1m30s' or '00:00:30'.");
        }
    }
}
