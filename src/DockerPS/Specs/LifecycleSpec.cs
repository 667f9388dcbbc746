using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using DockerPS.Errors;

namespace DockerPS.Specs
{
    /// <summary>A restart policy and its retry count, from -RestartPolicy and -MaximumRetryCount.</summary>
    internal sealed class RestartPolicySpec
    {
        private RestartPolicySpec(ContainerRestartPolicy policy, long maximumRetryCount)
        {
            Policy = policy;
            MaximumRetryCount = maximumRetryCount;
        }

        public ContainerRestartPolicy Policy { get; }

        /// <summary>For OnFailure: how many restarts at most (0: no limit).</summary>
        public long MaximumRetryCount { get; }

        /// <summary>
        /// Reads No, Always, UnlessStopped, OnFailure (or docker's no, always, unless-stopped, on-failure[:N]); a retry
        /// count goes only with OnFailure. Null when neither parameter was given.
        /// </summary>
        public static RestartPolicySpec? Parse(string? text, int? maximumRetryCount)
        {
            if (text == null)
            {
                if (maximumRetryCount.HasValue)
                {
                    throw Bad(maximumRetryCount.Value, "-MaximumRetryCount goes with -RestartPolicy OnFailure, which was not given");
                }

                return null;
            }

            string name = text.Trim();
            long? countInText = null;
            int colon = name.IndexOf(':');
            if (colon >= 0)
            {
                string count = name.Substring(colon + 1);
                if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
                {
                    throw Bad(text, $"the retry count '{count}' is not a whole number of 0 or more");
                }

                countInText = parsed;
                name = name.Substring(0, colon);
            }

            ContainerRestartPolicy policy = name.Replace("-", string.Empty).Replace("_", string.Empty).ToLowerInvariant() switch
            {
                "no" => ContainerRestartPolicy.No,
                "always" => ContainerRestartPolicy.Always,
                "unlessstopped" => ContainerRestartPolicy.UnlessStopped,
                "onfailure" => ContainerRestartPolicy.OnFailure,
                _ => throw Bad(text, $"'{name}' is not a restart policy"),
            };
            if (policy != ContainerRestartPolicy.OnFailure && (countInText.HasValue || maximumRetryCount.HasValue))
            {
                throw Bad(text, $"a retry count goes only with OnFailure, not with {policy}");
            }

            if (countInText.HasValue && maximumRetryCount.HasValue && countInText.Value != maximumRetryCount.Value)
            {
                throw Bad(text, $"it says {countInText} retries but -MaximumRetryCount says {maximumRetryCount}");
            }

            return new RestartPolicySpec(policy, countInText ?? maximumRetryCount ?? 0);
        }

        private static DockerPSException Bad(object value, string why) =>
            new DockerPSException(ErrorIds.InvalidRestartPolicy, ErrorCategory.InvalidArgument, value,
                $"The restart policy '{value}' is not valid: {why}. Use No, Always, UnlessStopped or OnFailure (with -MaximumRetryCount N), or docker's form such as 'on-failure:3'.");
    }

    /// <summary>Byte sizes for memory limits: numbers (512MB in PowerShell is already one) or docker's '512m', '1.5g'.</summary>
    internal static class ByteSize
    {
        private static readonly Regex Text = new Regex(@"^(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The size in bytes; null when no value was given. <paramref name="allowUnlimited"/> lets -1 through.</summary>
        public static long? Parse(object? value, string parameter, bool allowUnlimited = false)
        {
            object? raw = value is PSObject ps ? ps.BaseObject : value;
            if (raw == null)
            {
                return null;
            }

            double bytes;
            if (TimeSpec.IsNumber(raw))
            {
                bytes = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
            }
            else if (raw is string text && text.Trim() == "-1")
            {
                bytes = -1;
            }
            else
            {
                string t = Convert.ToString(raw, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
                Match m = Text.Match(t);
                if (!m.Success)
                {
                    throw Bad(raw, parameter, "it is not a number with an optional unit (b, k, m, g, t or p)");
                }

                int power = " kmgtp".IndexOf(char.ToLowerInvariant(m.Groups[2].Value.Length == 0 ? ' ' : m.Groups[2].Value[0]));
                bytes = double.Parse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture) * Math.Pow(1024, power);
            }

            if (allowUnlimited && bytes == -1)
            {
                return -1;
            }

            if (bytes >= long.MaxValue)
            {
                // A double that large is past what a long holds: cast, it would wrap round to a negative size.
                throw new DockerPSException(ErrorIds.SizeTooLarge, ErrorCategory.InvalidArgument, raw,
                    $"-{parameter} '{raw}' is too large: the largest size the engine takes is {long.MaxValue} bytes (just under 8 EiB). Give a smaller size, such as 512MB or '2g'.");
            }

            if (double.IsNaN(bytes) || bytes < 1)
            {
                throw Bad(raw, parameter, allowUnlimited ? "it must be at least one byte, or -1 for no limit" : "it must be at least one byte");
            }

            return (long)bytes;
        }

        private static DockerPSException Bad(object value, string parameter, string why) =>
            new DockerPSException(ErrorIds.InvalidMemorySpec, ErrorCategory.InvalidArgument, value,
                $"-{parameter} '{value}' is not a size: {why}. Give bytes, a PowerShell size such as 512MB, or a string such as '512m' or '1.5g'.");
    }

    /// <summary>Container links (name:alias) and network aliases.</summary>
    internal static class NetworkSpec
    {
        private static readonly Regex ContainerName = new Regex(@"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex HostName = new Regex(@"^[a-zA-Z0-9_]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$", RegexOptions.CultureInvariant);

        /// <summary>The networks a container can be given aliases and links on: any but the built-in ones.</summary>
        public static bool IsUserDefined(string? network) =>
            !string.IsNullOrEmpty(network)
            && !new[] { "default", "bridge", "host", "none" }.Contains(network, StringComparer.OrdinalIgnoreCase)
            && !network!.StartsWith("container:", StringComparison.OrdinalIgnoreCase);

        /// <summary>"db" or "db:database" as the engine wants it: name:alias.</summary>
        public static string ParseLink(string spec)
        {
            string[] parts = spec.Trim().Split(':');
            if (parts.Length > 2 || !ContainerName.IsMatch(parts[0]))
            {
                throw new DockerPSException(ErrorIds.InvalidLinkSpec, ErrorCategory.InvalidArgument, spec,
                    $"The link '{spec}' is not valid: '{parts[0]}' is not a container name. Use name or name:alias, such as db or db:database.");
            }

            string alias = parts.Length == 2 ? parts[1] : parts[0].TrimStart('/');
            if (!HostName.IsMatch(alias))
            {
                throw new DockerPSException(ErrorIds.InvalidLinkSpec, ErrorCategory.InvalidArgument, spec,
                    $"The link '{spec}' is not valid: the alias '{alias}' is not a host name. Use name or name:alias, such as db or db:database.");
            }

            return $"{parts[0]}:{alias}";
        }

        /// <summary>Aliases are names other containers look up, so they must be host names; and only user networks have them.</summary>
        public static void CheckAlias(string alias, string? network)
        {
            if (!IsUserDefined(network))
            {
                throw new DockerPSException(ErrorIds.InvalidNetworkAlias, ErrorCategory.InvalidArgument, alias,
                    $"The network alias '{alias}' needs -Network naming a user-defined network{(string.IsNullOrEmpty(network) ? string.Empty : $", not '{network}'")}: only those resolve names. Create one with docker network create, then pass its name to -Network.");
            }

            if (!HostName.IsMatch(alias))
            {
                throw new DockerPSException(ErrorIds.InvalidNetworkAlias, ErrorCategory.InvalidArgument, alias,
                    $"The network alias '{alias}' is not a host name: use letters, digits, '.', '-' and '_'.");
            }
        }

        /// <summary>A DNS server is an IP address.</summary>
        public static string ParseDnsServer(string server)
        {
            if (!IsIPAddress(server.Trim()))
            {
                throw new DockerPSException(ErrorIds.InvalidDnsSpec, ErrorCategory.InvalidArgument, server,
                    $"The DNS server '{server}' is not an IP address. Give addresses such as 10.0.0.2 or fd00::53.");
            }

            return server.Trim();
        }

        /// <summary>A search domain is a domain name, or '.' for none.</summary>
        public static string ParseSearchDomain(string domain)
        {
            string d = domain.Trim();
            if (d != "." && !d.TrimEnd('.').Split('.').All(label => HostName.IsMatch(label) && label.Length <= 63))
            {
                throw new DockerPSException(ErrorIds.InvalidDnsSpec, ErrorCategory.InvalidArgument, domain,
                    $"The DNS search domain '{domain}' is not a domain name. Give names such as example.com, or '.' for none.");
            }

            return d;
        }

        /// <summary>An IPv4 address in full dotted form (IPAddress.TryParse also takes shorthand such as 1.2.3; docker does not), or IPv6.</summary>
        public static bool IsIPAddress(string text) =>
            System.Net.IPAddress.TryParse(text, out var address)
            && (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || text.Split('.').Length == 4);
    }

    /// <summary>Signals for Stop-DockerContainer -Signal, checked before any is sent.</summary>
    internal static class SignalSpec
    {
        /// <summary>The Linux signal names the engine knows, without SIG.</summary>
        public static readonly IReadOnlyList<string> Names = new[]
        {
            "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
            "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
            "POLL", "PWR", "SYS", "RTMIN", "RTMAX",
        };

        private static readonly Regex RealTime = new Regex(@"^RT(MIN\+([1-9]|1[0-5])|MAX-([1-9]|1[0-4]))$", RegexOptions.CultureInvariant);

        /// <summary>"TERM", "sigterm", "SIGRTMIN+3" or a number from 1 to 64; returned as SIGTERM or the number.</summary>
        public static string Parse(string signal)
        {
            string s = signal.Trim().ToUpperInvariant();
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                if (number >= 1 && number <= 64)
                {
                    return number.ToString(CultureInfo.InvariantCulture);
                }
            }
            else
            {
                string bare = s.StartsWith("SIG", StringComparison.Ordinal) ? s.Substring(3) : s;
                if (Names.Contains(bare) || RealTime.IsMatch(bare))
                {
                    return "SIG" + bare;
                }
            }

            throw new DockerPSException(ErrorIds.InvalidSignal, ErrorCategory.InvalidArgument, signal,
                $"'{signal}' is not a signal. Give a name such as TERM, SIGHUP or USR1, or a number from 1 to 64.");
        }
    }
}
