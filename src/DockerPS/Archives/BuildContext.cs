using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DockerPS.Errors;

namespace DockerPS.Archives
{
    /// <summary>
    /// Packs a build context folder into the tar stream the engine's build endpoint reads, leaving out what the
    /// context's .dockerignore excludes, the way the docker CLI does.
    /// </summary>
    internal static class BuildContext
    {
        public const string IgnoreFileName = ".dockerignore";

        private static readonly bool OnWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The text of the context's .dockerignore, or null when it has none.</summary>
        public static string? ReadDockerIgnore(string contextDir)
        {
            string path = Path.Combine(contextDir, IgnoreFileName);
            return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null;
        }

        /// <summary>
        /// A name for a Dockerfile from outside the context, as the docker CLI makes one: ".dockerfile." and 20 hex digits.
        /// </summary>
        public static string OutsideDockerfileName() => ".dockerfile." + Guid.NewGuid().ToString("N").Substring(0, 20);

        /// <summary>
        /// Writes the context as a tar stream: entries in sorted order, .dockerignore applied (the Dockerfile and
        /// .dockerignore are always sent), owner 0:0, then the two zero blocks. Returns the bytes written; progress
        /// gets the running total. With <paramref name="outsideDockerfile"/>, a Dockerfile from outside the context
        /// goes in under the name <paramref name="dockerfileRelativePath"/>, and the .dockerignore sent names it too, so
        /// that a COPY of the whole context leaves it out: as docker build -f does with a Dockerfile outside the context.
        /// </summary>
        public static async Task<long> WriteTarAsync(string contextDir, string dockerfileRelativePath, Stream output, Action<long>? progress, CancellationToken ct, string? outsideDockerfile = null)
        {
            if (contextDir == null)
            {
                throw new ArgumentNullException(nameof(contextDir));
            }

            if (output == null)
            {
                throw new ArgumentNullException(nameof(output));
            }

            ct.ThrowIfCancellationRequested();
            string root = Path.GetFullPath(contextDir);
            if (!Directory.Exists(root))
            {
                throw new DirectoryNotFoundException($"The build context '{contextDir}' is not a folder.");
            }

            string? ignoreText = ReadDockerIgnore(root);
            DockerIgnore ignore;
            try
            {
                ignore = DockerIgnore.Parse(ignoreText);
            }
            catch (FormatException ex)
            {
                string ignorePath = Path.Combine(root, IgnoreFileName);
                throw new DockerPSException(ErrorIds.ImageBuildFailed, ErrorCategory.InvalidData, ignorePath,
                    $"'{ignorePath}' cannot be used: {ex.Message}", ex);
            }

            var keep = new List<string> { IgnoreFileName };
            string? dockerfile = outsideDockerfile != null ? null
                : RelativeToContext(root, string.IsNullOrEmpty(dockerfileRelativePath) ? "Dockerfile" : dockerfileRelativePath);
            if (dockerfile != null)
            {
                keep.Add(dockerfile);
            }

            // A tar written into the context itself must not swallow its own growing file.
            string? self = output is FileStream file ? Path.GetFullPath(file.Name) : null;

            var tar = new TarWriter(output, progress, ct);
            await tar.AddChildrenAsync(new DirectoryInfo(root), string.Empty, (entry, relative, kind) =>
            {
                if (self != null && string.Equals(entry.FullName, self, OnWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    return TarChoice.Skip;
                }

                if (outsideDockerfile != null && relative == IgnoreFileName)
                {
                    // Sent below, with the Dockerfile's name added.
                    return TarChoice.Skip;
                }

                if (!ignore.IsExcluded(relative) || keep.Contains(relative))
                {
                    return TarChoice.Add;
                }

                // An excluded folder is still entered (without its own entry) when something inside may be brought
                // back, by a "!" pattern or because it holds the Dockerfile.
                string prefix = relative + "/";
                bool holdsKept = keep.Exists(k => k.StartsWith(prefix, StringComparison.Ordinal));
                return kind == LocalEntryKind.Directory && (ignore.MayHaveIncludedChildren(relative) || holdsKept) ? TarChoice.EnterOnly : TarChoice.Skip;
            }).ConfigureAwait(false);
            if (outsideDockerfile != null)
            {
                // 0600 and the time of packing, as the CLI writes both entries.
                DateTime now = DateTime.UtcNow;
                await tar.AddBytesAsync(dockerfileRelativePath, File.ReadAllBytes(outsideDockerfile), 384, now).ConfigureAwait(false);
                string ignoreSent = (ignoreText ?? IgnoreFileName) + "\n" + dockerfileRelativePath + "\n";
                await tar.AddBytesAsync(IgnoreFileName, new UTF8Encoding(false).GetBytes(ignoreSent), 384, now).ConfigureAwait(false);
            }

            await tar.FinishAsync().ConfigureAwait(false);
            return tar.Total;
        }

        /// <summary>The Dockerfile's path inside the context with forward slashes, or null when it lies outside it.</summary>
        private static string? RelativeToContext(string root, string dockerfile)
        {
            if (OnWindows)
            {
                dockerfile = dockerfile.Replace('\\', '/');
            }

            string full = Path.GetFullPath(Path.Combine(root, dockerfile));
            string prefix = root.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? root : root + Path.DirectorySeparatorChar;
            StringComparison comparison = OnWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (!full.StartsWith(prefix, comparison) || full.Length == prefix.Length)
            {
                return null;
            }

            string relative = full.Substring(prefix.Length);
            return OnWindows ? relative.Replace('\\', '/') : relative;
        }

        /// <summary>
        /// The rules of a .dockerignore file, read and matched as the docker CLI does: one pattern a line, "#" lines
        /// are comments, patterns are trimmed and cleaned, "!" brings back what earlier lines excluded, the last
        /// matching line wins, and a pattern that matches a folder matches everything below it.
        /// </summary>
        internal sealed class DockerIgnore
        {
            private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(5);

            private readonly List<Rule> rules;

            private DockerIgnore(List<Rule> rules)
            {
                this.rules = rules;
                var patterns = new List<string>(rules.Count);
                foreach (Rule rule in rules)
                {
                    patterns.Add(rule.Exclusion ? "!" + rule.Pattern : rule.Pattern);
                    HasExclusions |= rule.Exclusion;
                }

                Patterns = patterns;
            }

            private enum MatchKind
            {
                Exact,
                Prefix,
                Suffix,
                Pattern,
            }

            /// <summary>The patterns after cleaning, in file order; re-including ones keep their "!".</summary>
            public IReadOnlyList<string> Patterns { get; }

            /// <summary>True when some pattern starts with "!".</summary>
            public bool HasExclusions { get; }

            /// <summary>Reads .dockerignore text with this platform's rules: on Windows "\" separates folders.</summary>
            public static DockerIgnore Parse(string? text) => Parse(text, OnWindows);

            /// <summary>
            /// Reads .dockerignore text. With backslashIsSeparator "\" is a folder separator (Windows); otherwise it
            /// escapes the next character. A malformed pattern is a FormatException.
            /// </summary>
            public static DockerIgnore Parse(string? text, bool backslashIsSeparator)
            {
                var rules = new List<Rule>();
                if (text == null)
                {
                    return new DockerIgnore(rules);
                }

                string[] lines = text.Split('\n');
                for (int n = 0; n < lines.Length; n++)
                {
                    string line = lines[n];
                    if (line.EndsWith("\r", StringComparison.Ordinal))
                    {
                        line = line.Substring(0, line.Length - 1);
                    }

                    if (n == 0 && line.Length > 0 && line[0] == '\uFEFF')
                    {
                        line = line.Substring(1);
                    }

                    // Only a "#" in the very first column makes a comment; the line is not trimmed first.
                    if (line.StartsWith("#", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    string pattern = line.Trim();
                    if (pattern.Length == 0)
                    {
                        continue;
                    }

                    bool invert = pattern[0] == '!';
                    if (invert)
                    {
                        pattern = pattern.Substring(1).Trim();
                    }

                    if (pattern.Length > 0)
                    {
                        if (backslashIsSeparator)
                        {
                            pattern = pattern.Replace('\\', '/');
                        }

                        pattern = Clean(pattern);
                        if (pattern.Length > 1 && pattern[0] == '/')
                        {
                            // Patterns are relative to the context root.
                            pattern = pattern.Substring(1);
                        }
                    }

                    // Cleaned a second time with the "!" on, as the CLI's matcher does: "!/" so becomes a lone "!".
                    pattern = Clean(invert ? "!" + pattern : pattern);
                    bool exclusion = pattern[0] == '!';
                    if (exclusion)
                    {
                        if (pattern.Length == 1)
                        {
                            throw new FormatException($"line {n + 1}: \"!\" alone is not a valid pattern.");
                        }

                        pattern = pattern.Substring(1);
                    }

                    rules.Add(Rule.Compile(pattern, exclusion, n + 1));
                }

                return new DockerIgnore(rules);
            }

            /// <summary>
            /// True when the path (relative to the context, "/" separated) is left out: the last pattern that matches
            /// it, or that matched one of its parent folders, decides.
            /// </summary>
            /// <remarks>
            /// Decided folder by folder from the top, each level reusing which patterns matched its parent, as the CLI
            /// walks a context. That differs from testing each parent afresh in one corner the CLI's output shows: a
            /// pattern skipped for a folder (because it could not change that folder's outcome) does not count as
            /// matching it further down. "a", "!a/b/c.txt", "a*" so sends a/b/c.txt.
            /// </remarks>
            public bool IsExcluded(string relativePath)
            {
                string path = relativePath.TrimEnd('/');
                bool[]? parentMatched = null;
                for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                {
                    parentMatched = Decide(path.Substring(0, slash), parentMatched, out _);
                }

                Decide(path, parentMatched, out bool excluded);
                return excluded;
            }

            /// <summary>
            /// Whether an excluded folder must still be entered because a "!" pattern names a path inside it. Like the
            /// CLI, this looks at the pattern's literal text: "!dir/keep" counts for "dir", "!**/keep" does not.
            /// </summary>
            public bool MayHaveIncludedChildren(string dir)
            {
                if (!HasExclusions)
                {
                    return false;
                }

                string prefix = dir.TrimEnd('/') + "/";
                foreach (Rule rule in rules)
                {
                    if (rule.Exclusion && (rule.Pattern + "/").StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }

            /// <summary>Which patterns match the path (given those that matched its folder), and the outcome.</summary>
            private bool[] Decide(string path, bool[]? parentMatched, out bool excluded)
            {
                var matched = new bool[rules.Count];
                excluded = false;
                for (int i = 0; i < rules.Count; i++)
                {
                    Rule rule = rules[i];
                    bool match = parentMatched != null && parentMatched[i];
                    if (!match)
                    {
                        // A pattern that cannot change the outcome is not evaluated (nor remembered as matching).
                        if (rule.Exclusion != excluded)
                        {
                            continue;
                        }

                        match = rule.Matches(path);
                    }

                    matched[i] = match;
                    if (match)
                    {
                        excluded = !rule.Exclusion;
                    }
                }

                return matched;
            }

            /// <summary>Lexical path cleaning: "." and empty elements go, ".." eats its parent, no trailing "/".</summary>
            internal static string Clean(string path)
            {
                if (path.Length == 0)
                {
                    return ".";
                }

                bool rooted = path[0] == '/';
                var parts = new List<string>();
                foreach (string part in path.Split('/'))
                {
                    if (part.Length == 0 || part == ".")
                    {
                        continue;
                    }

                    if (part == "..")
                    {
                        if (parts.Count > 0 && parts[parts.Count - 1] != "..")
                        {
                            parts.RemoveAt(parts.Count - 1);
                        }
                        else if (!rooted)
                        {
                            parts.Add(part);
                        }

                        continue;
                    }

                    parts.Add(part);
                }

                string joined = string.Join("/", parts);
                return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
            }

            /// <summary>One pattern, compiled the way the CLI's matcher compiles it, with its plain-text shortcuts.</summary>
            private sealed class Rule
            {
                private readonly MatchKind kind;
                private readonly Regex? regex;

                private Rule(string pattern, bool exclusion, MatchKind kind, Regex? regex)
                {
                    Pattern = pattern;
                    Exclusion = exclusion;
                    this.kind = kind;
                    this.regex = regex;
                }

                public string Pattern { get; }

                public bool Exclusion { get; }

                public static Rule Compile(string pattern, bool exclusion, int line)
                {
                    var re = new StringBuilder("^");
                    var kind = MatchKind.Exact;
                    int i = 0;
                    bool first = true;
                    while (i < pattern.Length)
                    {
                        char ch = pattern[i++];
                        if (ch == '*' && i < pattern.Length && pattern[i] == '*')
                        {
                            i++;
                            if (i < pattern.Length && pattern[i] == '/')
                            {
                                i++;
                            }

                            if (i == pattern.Length)
                            {
                                // A trailing "**" takes everything below.
                                if (kind == MatchKind.Exact)
                                {
                                    kind = MatchKind.Prefix;
                                }
                                else
                                {
                                    re.Append(".*");
                                    kind = MatchKind.Pattern;
                                }
                            }
                            else
                            {
                                // Any number of folders, none included; two in a row mean no more than one.
                                const string anyDirs = "(.*/)?";
                                if (!re.ToString().EndsWith(anyDirs, StringComparison.Ordinal))
                                {
                                    re.Append(anyDirs);
                                }

                                kind = MatchKind.Pattern;
                            }

                            if (first)
                            {
                                kind = MatchKind.Suffix;
                            }
                        }
                        else if (ch == '*')
                        {
                            re.Append("[^/]*");
                            kind = MatchKind.Pattern;
                        }
                        else if (ch == '?')
                        {
                            // One character, not a separator; a surrogate pair is one character.
                            re.Append(@"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^/])");
                            kind = MatchKind.Pattern;
                        }
                        else if (ch == '\\')
                        {
                            if (i == pattern.Length)
                            {
                                throw Bad(line, pattern, "it ends with an escaping \"\\\"");
                            }

                            re.Append(Regex.Escape(pattern[i++].ToString()));
                            kind = MatchKind.Pattern;
                        }
                        else if (ch == '[')
                        {
                            i = AppendClass(re, pattern, i, line);
                            kind = MatchKind.Pattern;
                        }
                        else
                        {
                            re.Append(Regex.Escape(ch.ToString()));
                        }

                        first = false;
                    }

                    if (kind != MatchKind.Pattern)
                    {
                        return new Rule(pattern, exclusion, kind, null);
                    }

                    // \z, not $: "$" would also match before a final newline.
                    re.Append(@"\z");
                    Regex regex;
                    try
                    {
                        regex = new Regex(re.ToString(), RegexOptions.CultureInvariant, MatchTimeout);
                    }
                    catch (ArgumentException ex)
                    {
                        throw Bad(line, pattern, ex.Message);
                    }

                    return new Rule(pattern, exclusion, MatchKind.Pattern, regex);
                }

                private static FormatException Bad(int line, string pattern, string why) =>
                    new FormatException($"line {line}: the pattern '{pattern}' is not valid: {why}.");

                /// <summary>
                /// Turns "[...]" (the "[" already read) into a regex class: "^" negates, "a-z" is a range, "\" escapes.
                /// Returns the index after the closing "]".
                /// </summary>
                private static int AppendClass(StringBuilder re, string pattern, int i, int line)
                {
                    var cls = new StringBuilder("[");
                    if (i < pattern.Length && pattern[i] == '^')
                    {
                        cls.Append('^');
                        i++;
                    }

                    int ranges = 0;
                    while (true)
                    {
                        if (i < pattern.Length && pattern[i] == ']' && ranges > 0)
                        {
                            i++;
                            break;
                        }

                        char lo = ClassChar(pattern, ref i, line);
                        char hi = lo;
                        if (pattern[i] == '-')
                        {
                            i++;
                            hi = ClassChar(pattern, ref i, line);
                        }

                        if (hi < lo)
                        {
                            throw Bad(line, pattern, $"the range {lo}-{hi} runs backwards");
                        }

                        cls.Append(EscapeInClass(lo));
                        if (hi != lo)
                        {
                            cls.Append('-').Append(EscapeInClass(hi));
                        }

                        ranges++;
                    }

                    re.Append(cls).Append(']');
                    return i;
                }

                /// <summary>One character of a class; as in path matching, it may not be "-" or "]" unescaped, nor end the pattern.</summary>
                private static char ClassChar(string pattern, ref int i, int line)
                {
                    if (i >= pattern.Length || pattern[i] == '-' || pattern[i] == ']')
                    {
                        throw Bad(line, pattern, "a character class is empty, unclosed or has a stray \"-\"");
                    }

                    if (pattern[i] == '\\')
                    {
                        i++;
                        if (i >= pattern.Length)
                        {
                            throw Bad(line, pattern, "a character class is unclosed");
                        }
                    }

                    char c = pattern[i++];
                    if (i >= pattern.Length)
                    {
                        throw Bad(line, pattern, "a character class is unclosed");
                    }

                    return c;
                }

                private static string EscapeInClass(char c) =>
                    c == '\\' || c == ']' || c == '[' || c == '^' || c == '-' ? "\\" + c : c.ToString();

                public bool Matches(string path)
                {
                    switch (kind)
                    {
                        case MatchKind.Exact:
                            return string.Equals(path, Pattern, StringComparison.Ordinal);
                        case MatchKind.Prefix:
                            return path.StartsWith(Pattern.Substring(0, Pattern.Length - 2), StringComparison.Ordinal);
                        case MatchKind.Suffix:
                            // "**/name" also matches "name" at the root.
                            string suffix = Pattern.Substring(2);
                            return path.EndsWith(suffix, StringComparison.Ordinal)
                                || (suffix.Length > 0 && suffix[0] == '/' && string.Equals(path, suffix.Substring(1), StringComparison.Ordinal));
                        default:
                            return regex!.IsMatch(path);
                    }
                }
            }
        }
    }
}
