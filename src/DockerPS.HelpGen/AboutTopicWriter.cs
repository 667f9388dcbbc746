using System.Text;

namespace DockerPS.HelpGen;

/// <summary>Turns an about_ page into the plain text that Get-Help about_Name prints.</summary>
internal static class AboutTopicWriter
{
    private const int Width = 80;
    private const string Indent = "    ";

    public static string Convert(string file)
    {
        var page = MarkdownPage.Load(file);
        var topic = Path.GetFileNameWithoutExtension(file);
        var sections = page.Root.Descendants().ToList();
        var shortDescription = sections.FirstOrDefault(s => s.Title.Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase))
            ?? throw page.Error(page.FirstLine, "the about page has no '## SHORT DESCRIPTION' heading");
        var shortBlocks = Markdown.Blocks(shortDescription.Body);
        if (shortBlocks.FirstOrDefault() is not Paragraph synopsis)
        {
            throw page.Error(shortDescription.Line, "'SHORT DESCRIPTION' must start with a line of text");
        }

        // Get-Help takes the 5th line of the file as the topic's synopsis, so the layout up to there is fixed
        // and the short description stays on one line.
        var synopsisText = string.Join(' ', Markdown.LogicalLines(synopsis).Select(Markdown.Inline));
        if (Indent.Length + synopsisText.Length > Width)
        {
            Markdown.Warn(file, synopsis.Line, $"the short description is longer than {Width - Indent.Length} characters");
        }

        var text = new StringBuilder()
            .Append("TOPIC\n").Append(Indent).Append(topic).Append('\n')
            .Append("\nSHORT DESCRIPTION\n").Append(Indent).Append(synopsisText).Append('\n');
        WriteBlocks(page, text, shortBlocks.Skip(1), afterHeading: false);
        WriteBlocks(page, text, Markdown.Blocks(page.Root.Body), afterHeading: false);

        var shortIndex = sections.IndexOf(shortDescription);
        var afterHeading = false;
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            var blocks = Markdown.Blocks(section.Body);
            if (i == shortIndex)
            {
                continue;
            }

            // Headings above SHORT DESCRIPTION only title the page, which the TOPIC line already does.
            if (i < shortIndex)
            {
                WriteBlocks(page, text, blocks, afterHeading: false);
                continue;
            }

            if (!afterHeading)
            {
                text.Append('\n');
            }

            if (section.Level <= shortDescription.Level)
            {
                text.Append(Markdown.Inline(section.Title).ToUpperInvariant()).Append('\n');
            }
            else
            {
                var title = Markdown.Inline(section.Title);
                text.Append(Indent).Append(title).Append('\n').Append(Indent).Append('-', title.Length).Append('\n');
            }

            WriteBlocks(page, text, blocks, afterHeading: true);
            afterHeading = blocks.Count == 0;
        }

        return text.ToString();
    }

    private static void WriteBlocks(MarkdownPage page, StringBuilder text, IEnumerable<Block> blocks, bool afterHeading)
    {
        foreach (var block in blocks)
        {
            if (!afterHeading)
            {
                text.Append('\n');
            }

            afterHeading = false;
            switch (block)
            {
                case CodeBlock code:
                    // Code can't be re-wrapped, so an overlong line is the author's to shorten.
                    for (var i = 0; i < code.Lines.Count; i++)
                    {
                        var line = code.Lines[i].Length == 0 ? string.Empty : Indent + Indent + code.Lines[i];
                        if (line.Length > Width)
                        {
                            Markdown.Warn(page.File, code.Line + 1 + i, $"code line is wider than {Width} characters once indented");
                        }

                        text.Append(line).Append('\n');
                    }

                    break;
                case Paragraph paragraph:
                    foreach (var line in Markdown.LogicalLines(paragraph))
                    {
                        WriteLine(text, line);
                    }

                    break;
            }
        }
    }

    private static void WriteLine(StringBuilder text, string line)
    {
        if (line.StartsWith('|'))
        {
            // Table rows only line up if left as written.
            text.Append(Indent).Append(line).Append('\n');
        }
        else if (Markdown.IsListItem(line))
        {
            // Continuation lines hang under the item's text, not under its marker.
            var leading = line.Length - line.TrimStart().Length;
            Wrap(text, Markdown.Inline(line.TrimStart()), Indent.Length + leading, Indent.Length + Markdown.ListMarkerLength(line));
        }
        else
        {
            Wrap(text, Markdown.Inline(line), Indent.Length, Indent.Length);
        }
    }

    private static void Wrap(StringBuilder text, string words, int firstIndent, int restIndent)
    {
        var line = new StringBuilder().Append(' ', firstIndent);
        var empty = true;
        foreach (var word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                text.Append(line).Append('\n');
                line.Clear().Append(' ', restIndent);
                empty = true;
            }

            line.Append(empty ? string.Empty : " ").Append(word);
            empty = false;
        }

        text.Append(line).Append('\n');
    }
}
