using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using DockerPS.Errors;

namespace DockerPS.Specs
{
    /// <summary>One port publication, parsed from the docker CLI's -p syntax.</summary>
    internal sealed class PortSpec
    {
        public PortSpec(string containerPort, string protocol, string? hostIP, string? hostPort)
        {
            ContainerPort = containerPort;
            Protocol = protocol;
            HostIP = hostIP;
            HostPort = hostPort;
        }

        public string ContainerPort { get; }

        public string Protocol { get; }

        public string? HostIP { get; }

        /// <summary>Empty: the engine picks a free host port.</summary>
        public string? HostPort { get; }

        public string Key => $"{ContainerPort}/{Protocol}";

        /// <summary>
        /// Parses 80, 8080:80, 127.0.0.1:5000:5000, 127.0.0.1::5000, [::1]:80:80, 5000/udp and ranges such as
        /// 8000-8002:80-82; a bad part is named in the error.
        /// </summary>
        public static IReadOnlyList<PortSpec> Parse(string spec)
        {
            string text = spec.Trim();
            string protocol = "tcp";
            int slash = text.LastIndexOf('/');
            if (slash >= 0)
            {
                protocol = text.Substring(slash + 1).ToLowerInvariant();
                text = text.Substring(0, slash);
                if (protocol != "tcp" && protocol != "udp" && protocol != "sctp")
                {
                    throw Bad(spec, $"the protocol '{protocol}' is not tcp, udp or sctp");
                }
            }

            string? ip = null;
            string? hostPart = null;
            string containerPart;
            int last = text.LastIndexOf(':');
            if (last < 0)
            {
                containerPart = text;
            }
            else
            {
                containerPart = text.Substring(last + 1);
                string rest = text.Substring(0, last);
                int mid = rest.LastIndexOf(':');
                if (rest.StartsWith("[", StringComparison.Ordinal) && rest.EndsWith("]", StringComparison.Ordinal))
                {
                    throw Bad(spec, "an address needs a host port part after it (use [::1]::80 for any free port)");
                }

                if (mid < 0)
                {
                    hostPart = rest;
                }
                else
                {
                    hostPart = rest.Substring(mid + 1);
                    ip = rest.Substring(0, mid).Trim('[', ']');
                    if (!NetworkSpec.IsIPAddress(ip))
                    {
                        throw Bad(spec, $"'{ip}' is not an IP address");
                    }
                }
            }

            (int cFrom, int cTo) = Range(spec, containerPart, "container port");
            if (string.IsNullOrEmpty(hostPart))
            {
                var all = new List<PortSpec>();
                for (int p = cFrom; p <= cTo; p++)
                {
                    all.Add(new PortSpec(p.ToString(CultureInfo.InvariantCulture), protocol, ip, string.Empty));
                }

                return all;
            }

            (int hFrom, int hTo) = Range(spec, hostPart!, "host port");
            if (cFrom == cTo)
            {
                string host = hFrom == hTo ? hFrom.ToString(CultureInfo.InvariantCulture) : $"{hFrom}-{hTo}";
                return new[] { new PortSpec(cFrom.ToString(CultureInfo.InvariantCulture), protocol, ip, host) };
            }

            if (hTo - hFrom != cTo - cFrom)
            {
                throw Bad(spec, $"the host range '{hostPart}' and the container range '{containerPart}' differ in length");
            }

            var pairs = new List<PortSpec>();
            for (int i = 0; i <= cTo - cFrom; i++)
            {
                pairs.Add(new PortSpec((cFrom + i).ToString(CultureInfo.InvariantCulture), protocol, ip, (hFrom + i).ToString(CultureInfo.InvariantCulture)));
            }

            return pairs;
        }

        private static (int From, int To) Range(string spec, string part, string what)
        {
            string[] ends = part.Split('-');
            if (ends.Length > 2 || ends[0].Length == 0)
            {
                throw Bad(spec, $"'{part}' is not a valid {what}");
            }

            int from = Port(spec, ends[0], what);
            int to = ends.Length == 2 ? Port(spec, ends[1], what) : from;
            if (to < from)
            {
                throw Bad(spec, $"the {what} range '{part}' runs backwards");
            }

            return (from, to);
        }

        private static int Port(string spec, string text, string what)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
            {
                throw Bad(spec, $"the {what} '{text}' is not a number from 1 to 65535");
            }

            return port;
        }

        private static DockerPSException Bad(string spec, string why) =>
            new DockerPSException(ErrorIds.InvalidPortSpec, ErrorCategory.InvalidArgument, spec,
                $"The port '{spec}' is not valid: {why}. Use forms such as 8080:80, 127.0.0.1:5000:5000, 127.0.0.1::5000 or 5000/udp.");
    }

    /// <summary>One -Volume entry: a bind, a named volume, or an anonymous volume.</summary>
    internal sealed class VolumeSpec
    {
        private VolumeSpec(string? source, string target, string? mode)
        {
            Source = source;
            Target = target;
            Mode = mode;
        }

        /// <summary>Host path or volume name; null for an anonymous volume.</summary>
        public string? Source { get; }

        public string Target { get; }

        public string? Mode { get; }

        /// <summary>The engine's Binds form, for a bind or a named volume.</summary>
        public string Bind => Mode == null ? $"{Source}:{Target}" : $"{Source}:{Target}:{Mode}";

        public static VolumeSpec Parse(string spec)
        {
            var parts = new List<string>();
            string text = spec.Trim();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                // A Windows drive letter (C:\ or C:/) is part of the path, not a separator.
                bool driveColon = text[i] == ':' && i == start + 1 && char.IsLetter(text[start]) && i + 1 < text.Length && (text[i + 1] == '\\' || text[i + 1] == '/');
                if (text[i] == ':' && !driveColon)
                {
                    parts.Add(text.Substring(start, i - start));
                    start = i + 1;
                }
            }

            parts.Add(text.Substring(start));
            if (parts.Count > 3 || parts.Exists(p => p.Length == 0))
            {
                throw Bad(spec, "it has empty or too many ':'-separated parts");
            }

            if (parts.Count == 1)
            {
                return new VolumeSpec(null, CheckTarget(spec, parts[0]), null);
            }

            string? mode = parts.Count == 3 ? parts[2] : null;
            if (mode != null)
            {
                foreach (string option in mode.Split(','))
                {
                    if (Array.IndexOf(KnownModes, option) < 0)
                    {
                        throw Bad(spec, $"the mode '{option}' is not one of {string.Join(", ", KnownModes)}");
                    }
                }
            }

            return new VolumeSpec(parts[0], CheckTarget(spec, parts[1]), mode);
        }

        private static readonly string[] KnownModes = { "ro", "rw", "z", "Z", "nocopy", "shared", "rshared", "slave", "rslave", "private", "rprivate", "consistent", "cached", "delegated" };

        private static string CheckTarget(string spec, string target)
        {
            bool absolute = target.StartsWith("/", StringComparison.Ordinal) || (target.Length > 2 && target[1] == ':');
            if (!absolute)
            {
                throw Bad(spec, $"the container path '{target}' is not absolute");
            }

            return target;
        }

        private static DockerPSException Bad(string spec, string why) =>
            new DockerPSException(ErrorIds.InvalidVolumeSpec, ErrorCategory.InvalidArgument, spec,
                $"The volume '{spec}' is not valid: {why}. Use forms such as my-vol:/data, /src:/opt:ro or /data.");
    }

    /// <summary>Turns hashtables and K=V strings into name/value pairs (environment, labels).</summary>
    internal static class KeyValueList
    {
        public static List<KeyValuePair<string, string>> Parse(IEnumerable<object>? items, string what, bool allowFromProcess)
        {
            var result = new List<KeyValuePair<string, string>>();
            if (items == null)
            {
                return result;
            }

            foreach (object raw in items)
            {
                object item = raw is PSObject ps ? ps.BaseObject : raw;
                if (item is IDictionary map)
                {
                    foreach (DictionaryEntry e in map)
                    {
                        string key = Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                        CheckKey(key, what, key);
                        result.Add(new KeyValuePair<string, string>(key, Convert.ToString(e.Value is PSObject v ? v.BaseObject : e.Value, CultureInfo.InvariantCulture) ?? string.Empty));
                    }

                    continue;
                }

                string text = Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty;
                int eq = text.IndexOf('=');
                if (eq < 0 && allowFromProcess)
                {
                    // Like docker -e NAME: the value comes from this session's environment, if it is set there.
                    CheckKey(text, what, text);
                    string? value = System.Environment.GetEnvironmentVariable(text);
                    if (value != null)
                    {
                        result.Add(new KeyValuePair<string, string>(text, value));
                    }

                    continue;
                }

                string name = eq < 0 ? text : text.Substring(0, eq);
                CheckKey(name, what, text);
                result.Add(new KeyValuePair<string, string>(name, eq < 0 ? string.Empty : text.Substring(eq + 1)));
            }

            return result;
        }

        private static void CheckKey(string key, string what, string item)
        {
            if (string.IsNullOrWhiteSpace(key) || key.IndexOfAny(new[] { ' ', '\t', '\n', '\0' }) >= 0)
            {
                throw new DockerPSException(ErrorIds.InvalidEnvironment, ErrorCategory.InvalidArgument, item,
                    $"The {what} entry '{item}' has no valid name. Use a hashtable (@{{NAME='value'}}) or NAME=value strings.");
            }
        }
    }
}
