using System;
using System.Collections.Generic;
using System.Linq;
using DockerPS.Specs;

namespace DockerPS.Cmdlets
{
    /// <summary>Key/value settings (labels, driver options) from hashtables or key=value strings; the last of a key wins.</summary>
    internal static class Settings
    {
        public static IDictionary<string, string> ToDictionary(IEnumerable<object>? items, string what) =>
            KeyValueList.Parse(items, what, allowFromProcess: false)
                .GroupBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
    }
}
