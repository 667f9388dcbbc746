using System;
using System.Globalization;
using System.Management.Automation;

namespace DockerPS.Specs
{
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
            if (TimeSpec.IsNumber(raw))
            {
                return TimeSpan.FromSeconds(Convert.ToDouble(raw, CultureInfo.InvariantCulture));
            }

            if (raw is string text && TimeSpec.TryParseDuration(text, out TimeSpan span))
            {
                return span;
            }

            return inputData;
        }
    }
}
