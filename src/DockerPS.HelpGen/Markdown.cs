using System.Text;
using System.Text.RegularExpressions;

namespace DockerPS.HelpGen;

/// <summary>A line of a page with its 1-based number, so that errors can point at it.</summary>
internal readonly record struct SourceLine(int Number, string Text);

/// <summary>A heading and what follows it, up to the next heading of the same or a higher level.</summary>
internal sealed class Section(int level, string title, int line)
{
    public int Level { get; } = level;

    public string Title { get; } = title;

    public int Line { get; } = line;

    /// <summary>The lines between this heading and its first sub-heading.</summary>
    public List<SourceLine> Body { get; } = [];

    public List<Section> Children { get; } = [];

    public Section? Child(string title) =>
        Children.FirstOrDefault(c => string.Equals(c.Title, title, StringComparison.OrdinalIgnoreCase));

    /// <summary>This section's sub-headings at every depth, in page order.</summary>
    public IEnumerable<Section> Descendants() => Children.SelectMany(c => c.Descendants().Prepend(c));
}

/// <summary>A paragraph or a fenced code block.</summary>
internal abstract record Block(int Line);

/// <summary>Text lines between blank lines, kept apart so that list items and hard breaks survive.</summary>
internal sealed record Paragraph(int Line, IReadOnlyList<string> Lines) : Block(Line);

/// <summary>A fenced code block; <see cref="Block.Line"/> is the opening fence.</summary>
internal sealed record CodeBlock(int Line, string Language, IReadOnlyList<string> Lines) : Block(Line)
{
    public string Code => string.Join('\n', Lines);
}

/// <summary>A page that can't be turned into help; the message names the file and line.</summary>
internal sealed class HelpFormatException(string file, int line, string message)
    : Exception($"{file}:{line}: error: {message}");

/// <summary>A markdown page split into its front matter and its tree of headings.</summary>
internal sealed record MarkdownPage(string File, IReadOnlyDictionary<string, string> FrontMatter, Section Root, int FirstLine)
{
    public static MarkdownPage Load(string file)
    {
        var lines = System.IO.File.ReadAllText(file).Split('\n')
            .Select((text, i) => new SourceLine(i + 1, text.TrimEnd('\r')))
            .ToList();
        var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var body = Markdown.SplitFrontMatter(file, lines, frontMatter);
        Markdown.CheckFences(file, body);
        foreach (var line in body.Where(l => l.Text.Contains("{{", StringComparison.Ordinal) && l.Text.Contains("}}", StringComparison.Ordinal)))
        {
            // Template placeholders are left by page generators; they would ship as-is.
            Markdown.Warn(file, line.Number, "placeholder text ('{{ ... }}') is still in the page");
        }

        var firstLine = body.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l.Text)).Number;
        return new MarkdownPage(file, frontMatter, Markdown.BuildTree(body), Math.Max(firstLine, 1));
    }

    public HelpFormatException Error(int line, string message) => new(File, line, message);
}

/// <summary>The small part of markdown that help pages use: headings, paragraphs, lists, fenced code, links.</summary>
internal static partial class Markdown
{
    public static void Warn(string file, int line, string message) =>
        Console.Error.WriteLine($"{file}:{line}: warning: {message}");

    /// <summary>Returns the lines after the front matter ("---" ... "---"), putting its "key: value" pairs in <paramref name="values"/>.</summary>
    public static List<SourceLine> SplitFrontMatter(string file, List<SourceLine> lines, Dictionary<string, string> values)
    {
        if (lines.Count == 0 || lines[0].Text.Trim() != "---")
        {
            return lines;
        }

        for (var i = 1; i < lines.Count; i++)
        {
            var text = lines[i].Text;
            if (text.Trim() == "---")
            {
                return lines.GetRange(i + 1, lines.Count - i - 1);
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[text[..colon].Trim()] = text[(colon + 1)..].Trim();
            }
        }

        throw new HelpFormatException(file, 1, "the front matter opened by '---' is never closed by another '---' line");
    }

    /// <summary>An unclosed fence would swallow every heading after it, so it is reported where it opens.</summary>
    public static void CheckFences(string file, IEnumerable<SourceLine> lines)
    {
        string? fence = null;
        var openedAt = 0;
        foreach (var line in lines)
        {
            if (fence is null)
            {
                fence = OpeningFence(line.Text);
                openedAt = line.Number;
            }
            else if (ClosesFence(fence, line.Text))
            {
                fence = null;
            }
        }

        if (fence is not null)
        {
            throw new HelpFormatException(file, openedAt, $"the code block opened by '{fence}' is never closed");
        }
    }

    /// <summary>Nests headings by level; '#' lines inside code blocks are code, not headings.</summary>
    public static Section BuildTree(IEnumerable<SourceLine> lines)
    {
        var root = new Section(0, string.Empty, 1);
        var open = new Stack<Section>();
        open.Push(root);
        string? fence = null;
        foreach (var line in lines)
        {
            if (fence is null)
            {
                var heading = HeadingPattern().Match(line.Text);
                if (heading.Success)
                {
                    var section = new Section(heading.Groups["hashes"].Length, heading.Groups["title"].Value.Trim(), line.Number);
                    while (open.Peek().Level >= section.Level)
                    {
                        open.Pop();
                    }

                    open.Peek().Children.Add(section);
                    open.Push(section);
                    continue;
                }

                fence = OpeningFence(line.Text);
            }
            else if (ClosesFence(fence, line.Text))
            {
                fence = null;
            }

            open.Peek().Body.Add(line);
        }

        return root;
    }

    public static List<Block> Blocks(IEnumerable<SourceLine> lines)
    {
        var blocks = new List<Block>();
        var text = new List<string>();
        var textStart = 0;
        List<string>? code = null;
        string fence = string.Empty, language = string.Empty;
        int codeStart = 0, codeIndent = 0;

        foreach (var line in lines)
        {
            if (code is not null)
            {
                if (ClosesFence(fence, line.Text))
                {
                    blocks.Add(new CodeBlock(codeStart, language, code));
                    code = null;
                }
                else
                {
                    code.Add(RemoveIndent(line.Text, codeIndent));
                }

                continue;
            }

            var opened = OpeningFence(line.Text);
            if (opened is not null)
            {
                FlushText();
                var trimmed = line.Text.TrimStart();
                (fence, language, codeStart) = (opened, trimmed[opened.Length..].Trim(), line.Number);
                codeIndent = line.Text.Length - trimmed.Length;
                code = [];
            }
            else if (string.IsNullOrWhiteSpace(line.Text))
            {
                FlushText();
            }
            else
            {
                if (text.Count == 0)
                {
                    textStart = line.Number;
                }

                text.Add(line.Text);
            }
        }

        FlushText();
        return blocks;

        void FlushText()
        {
            if (text.Count > 0)
            {
                blocks.Add(new Paragraph(textStart, [.. text]));
                text.Clear();
            }
        }
    }

    /// <summary>
    /// Joins a paragraph's lines as markdown renders them: a wrapped line continues the one before it,
    /// but list items, table rows and hard breaks (two trailing spaces) start a new line.
    /// List items keep their leading indent so that nesting stays visible.
    /// </summary>
    public static List<string> LogicalLines(Paragraph paragraph)
    {
        var result = new List<string>();
        var breakBefore = true;
        foreach (var raw in paragraph.Lines)
        {
            var line = raw.TrimEnd();
            if (breakBefore || IsListItem(line) || line.TrimStart().StartsWith('|'))
            {
                result.Add(IsListItem(line) ? line : line.TrimStart());
            }
            else
            {
                result[^1] += " " + line.TrimStart();
            }

            breakBefore = raw.EndsWith("  ", StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>A paragraph as plain text: inline markup removed, one line per logical line.</summary>
    public static string PlainText(Paragraph paragraph) => string.Join('\n', LogicalLines(paragraph).Select(Inline));

    /// <summary>Blocks as help paragraphs: text made plain, code kept verbatim.</summary>
    public static List<string> PlainParagraphs(IEnumerable<SourceLine> lines) =>
        Blocks(lines).Select(b => b switch
        {
            Paragraph p => PlainText(p),
            CodeBlock c => c.Code,
            _ => string.Empty,
        }).Where(t => t.Trim().Length > 0).ToList();

    public static bool IsListItem(string line) => ListItemPattern().IsMatch(line);

    /// <summary>Length of a list item's leading indent plus its marker and the space after it.</summary>
    public static int ListMarkerLength(string line) => ListItemPattern().Match(line).Length;

    /// <summary>
    /// Removes inline markup that reads badly in a console: links become "text (address)", emphasis and
    /// code-span marks go, and backslash escapes are undone. Code spans are otherwise left untouched.
    /// </summary>
    public static string Inline(string text)
    {
        var result = new StringBuilder();
        var at = 0;
        foreach (Match span in CodeSpanPattern().Matches(text))
        {
            result.Append(InlineOutsideCode(text[at..span.Index])).Append(span.Groups["code"].Value);
            at = span.Index + span.Length;
        }

        return result.Append(InlineOutsideCode(text[at..])).ToString();
    }

    /// <summary>
    /// The markdown links in a line, as (text, address) pairs. Only web addresses are kept: a link to a
    /// sibling page ("Get-DockerImage.md") means nothing in a console, where the name alone says it.
    /// </summary>
    public static List<(string Text, string Uri)> Links(string text) =>
        LinkPattern().Matches(text).Select(m => (m.Groups["text"].Value.Trim(), WebAddressOrEmpty(m.Groups["uri"].Value))).ToList();

    private static string WebAddressOrEmpty(string uri)
    {
        uri = uri.Trim();
        return Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)
            ? uri
            : string.Empty;
    }

    private static string InlineOutsideCode(string text)
    {
        text = LinkPattern().Replace(text, m =>
        {
            var label = m.Groups["text"].Value;
            var uri = WebAddressOrEmpty(m.Groups["uri"].Value);
            return uri.Length == 0 || uri == label ? label : $"{label} ({uri})";
        });
        text = StrongPattern().Replace(text, "${inner}");
        return EscapePattern().Replace(text, "${ch}");
    }

    private static string? OpeningFence(string text)
    {
        var trimmed = text.TrimStart();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) && !trimmed.StartsWith("~~~", StringComparison.Ordinal))
        {
            return null;
        }

        return new string(trimmed[0], trimmed.TakeWhile(c => c == trimmed[0]).Count());
    }

    private static bool ClosesFence(string fence, string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    private static string RemoveIndent(string text, int indent)
    {
        var spaces = text.TakeWhile(c => c == ' ').Count();
        return text[Math.Min(spaces, indent)..];
    }

    [GeneratedRegex(@"^(?<hashes>#{1,6})[ \t]+(?<title>.+?)(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^\s*(?:[-*+]|\d+[.)])\s+")]
    private static partial Regex ListItemPattern();

    [GeneratedRegex(@"`(?<code>[^`]+)`")]
    private static partial Regex CodeSpanPattern();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<uri>[^)]*)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"(\*\*|__)(?<inner>\S(?:.*?\S)?)\1")]
    private static partial Regex StrongPattern();

    [GeneratedRegex(@"\\(?<ch>[`*_\[\]<>#|])")]
    private static partial Regex EscapePattern();
}
