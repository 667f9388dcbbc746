using System.Globalization;
using System.Text.RegularExpressions;

namespace DockerPS.HelpGen;

/// <summary>Reads a cmdlet page written in the markdown help schema 2.0.0.</summary>
internal static partial class CommandPageParser
{
    public static CommandHelp Parse(string file)
    {
        var page = MarkdownPage.Load(file);

        if (page.FrontMatter.TryGetValue("schema", out var schema) && schema != "2.0.0")
        {
            throw page.Error(1, $"schema '{schema}' is not supported; pages must use schema 2.0.0");
        }

        if (page.FrontMatter.TryGetValue("external help file", out var helpFile) && helpFile != MamlWriter.FileName)
        {
            Markdown.Warn(file, 1, $"'external help file: {helpFile}' is ignored; every page goes into {MamlWriter.FileName}");
        }

        var title = page.Root.Children.FirstOrDefault(s => s.Level == 1)
            ?? throw page.Error(page.FirstLine, "the page has no '# Verb-Noun' title heading naming the command");
        if (!CommandNamePattern().IsMatch(title.Title))
        {
            throw page.Error(title.Line, $"'# {title.Title}' is not a Verb-Noun command name");
        }

        var help = new CommandHelp
        {
            Name = title.Title,
            SourceFile = file,
            OnlineVersion = page.FrontMatter.GetValueOrDefault("online version"),
        };

        var synopsis = title.Child("SYNOPSIS")
            ?? throw page.Error(title.Line, $"'# {help.Name}' has no '## SYNOPSIS' section");
        help.Synopsis.AddRange(Markdown.PlainParagraphs(synopsis.Body));
        if (help.Synopsis.Count == 0)
        {
            throw page.Error(synopsis.Line, "'## SYNOPSIS' is empty");
        }

        if (title.Child("DESCRIPTION") is { } description)
        {
            help.Description.AddRange(Markdown.PlainParagraphs(description.Body));
        }

        if (title.Child("SYNTAX") is { } syntax)
        {
            ReadSyntax(syntax, help);
        }

        if (title.Child("EXAMPLES") is { } examples)
        {
            ReadExamples(page, examples, help);
        }

        if (title.Child("PARAMETERS") is { } parameters)
        {
            ReadParameters(page, parameters, help);
        }

        ReadTypes(title.Child("INPUTS"), help.Inputs);
        ReadTypes(title.Child("OUTPUTS"), help.Outputs);

        if (title.Child("NOTES") is { } notes)
        {
            help.Notes.AddRange(Markdown.PlainParagraphs(notes.Body));
        }

        if (title.Child("RELATED LINKS") is { } links)
        {
            ReadLinks(links, help);
        }

        return help;
    }

    private static void ReadSyntax(Section syntax, CommandHelp help)
    {
        foreach (var set in syntax.Children)
        {
            var code = Markdown.Blocks(set.Body).OfType<CodeBlock>().FirstOrDefault()?.Code ?? string.Empty;
            help.Syntax.Add(new SyntaxSet(DefaultSetSuffix().Replace(set.Title, string.Empty), code));
        }

        // A command with a single set may show its syntax without a "### SetName" heading.
        if (syntax.Children.Count == 0 && Markdown.Blocks(syntax.Body).OfType<CodeBlock>().FirstOrDefault() is { } only)
        {
            help.Syntax.Add(new SyntaxSet(string.Empty, only.Code));
        }
    }

    private static void ReadExamples(MarkdownPage page, Section examples, CommandHelp help)
    {
        foreach (var example in examples.Children)
        {
            var blocks = Markdown.Blocks(example.Body);
            var code = blocks.OfType<CodeBlock>().Select(c => c.Code).ToList();
            if (code.Count == 0)
            {
                throw page.Error(example.Line, $"example '{example.Title}' has no fenced code block");
            }

            var remarks = blocks.OfType<Paragraph>().Select(Markdown.PlainText).ToList();
            help.Examples.Add(new ExampleHelp(Markdown.Inline(example.Title), string.Join("\n\n", code), remarks));
        }
    }

    private static void ReadParameters(MarkdownPage page, Section parameters, CommandHelp help)
    {
        foreach (var section in parameters.Children)
        {
            if (section.Title is "CommonParameters" or "WorkflowCommonParameters")
            {
                continue;
            }

            if (!section.Title.StartsWith('-') || section.Title.Length < 2)
            {
                throw page.Error(section.Line, $"'### {section.Title}' should be '### -ParameterName' or '### CommonParameters'");
            }

            var parameter = new ParameterHelp { Name = Markdown.Inline(section.Title[1..].Trim()) };
            if (help.Parameters.Any(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw page.Error(section.Line, $"-{parameter.Name} is described twice");
            }

            foreach (var block in Markdown.Blocks(section.Body))
            {
                switch (block)
                {
                    case CodeBlock yaml when yaml.Language.Equals("yaml", StringComparison.OrdinalIgnoreCase):
                        parameter.Attributes.Add(ReadAttributes(page, parameter.Name, yaml));
                        break;
                    case CodeBlock code:
                        parameter.Description.Add(code.Code);
                        break;
                    case Paragraph text:
                        parameter.Description.Add(Markdown.PlainText(text));
                        break;
                }
            }

            if (parameter.Attributes.Count == 0)
            {
                throw page.Error(section.Line, $"-{parameter.Name} has no ```yaml block (Type:, Parameter Sets:, Aliases:, Required:, Position:, ...)");
            }

            help.Parameters.Add(parameter);
        }
    }

    private static ParameterAttributes ReadAttributes(MarkdownPage page, string parameter, CodeBlock yaml)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < yaml.Lines.Count; i++)
        {
            var text = yaml.Lines[i];
            var line = yaml.Line + 1 + i;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw page.Error(line, $"expected 'Key: value' in the yaml block of -{parameter}");
            }

            values[text[..colon].Trim()] = (text[(colon + 1)..].Trim(), line);
        }

        if (!values.TryGetValue("Type", out var type) || type.Value.Length == 0)
        {
            throw page.Error(yaml.Line, $"the yaml block of -{parameter} has no 'Type:'");
        }

        var sets = List("Parameter Sets");
        return new ParameterAttributes
        {
            Type = type.Value,
            ParameterSets = sets.Any(s => s.Equals("(All)", StringComparison.OrdinalIgnoreCase)) ? [] : sets,
            Aliases = List("Aliases"),
            AcceptedValues = List("Accepted values"),
            Required = Bool("Required"),
            Position = Position(),
            DefaultValue = Text("Default value") is { Length: > 0 } value ? value : "None",
            PipelineInput = Text("Accept pipeline input") is { Length: > 0 } input ? input : "False",
            Globbing = Bool("Accept wildcard characters"),
        };

        string Text(string key) => values.TryGetValue(key, out var entry) ? entry.Value : string.Empty;

        // "None" is how the schema writes an empty list.
        List<string> List(string key) => Text(key).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(item => !item.Equals("None", StringComparison.OrdinalIgnoreCase))
            .ToList();

        bool Bool(string key)
        {
            if (!values.TryGetValue(key, out var entry) || entry.Value.Length == 0)
            {
                return false;
            }

            return bool.TryParse(entry.Value, out var result)
                ? result
                : throw page.Error(entry.Line, $"'{key}: {entry.Value}' of -{parameter} should be True or False");
        }

        string Position()
        {
            if (!values.TryGetValue("Position", out var entry) || entry.Value.Length == 0
                || entry.Value.Equals("Named", StringComparison.OrdinalIgnoreCase))
            {
                return "named";
            }

            return int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                ? position.ToString(CultureInfo.InvariantCulture)
                : throw page.Error(entry.Line, $"'Position: {entry.Value}' of -{parameter} should be Named or a number");
        }
    }

    private static void ReadTypes(Section? section, List<TypeHelp> types)
    {
        if (section is null)
        {
            return;
        }

        foreach (var type in section.Children)
        {
            types.Add(new TypeHelp(Markdown.Inline(type.Title), Markdown.PlainParagraphs(type.Body)));
        }

        // Without "### TypeName" headings, the first line names the type (often just "None").
        var loose = Markdown.PlainParagraphs(section.Body);
        if (section.Children.Count == 0 && loose.Count > 0)
        {
            var lines = loose[0].Split('\n', 2);
            types.Add(new TypeHelp(lines[0], [.. lines.Skip(1), .. loose.Skip(1)]));
        }
    }

    private static void ReadLinks(Section links, CommandHelp help)
    {
        var lines = Markdown.Blocks(links.Body).OfType<Paragraph>().SelectMany(p => p.Lines)
            .Select(l => Markdown.IsListItem(l) ? l[Markdown.ListMarkerLength(l)..] : l.Trim())
            .Where(l => l.Length > 0);
        foreach (var line in lines)
        {
            var found = Markdown.Links(line);
            if (found.Count == 0)
            {
                help.Links.Add(new RelatedLink(Markdown.Inline(line), string.Empty));
            }

            help.Links.AddRange(found.Select(link => new RelatedLink(link.Text, link.Uri)));
        }
    }

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z0-9]+$")]
    private static partial Regex CommandNamePattern();

    [GeneratedRegex(@"\s*\(Default\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultSetSuffix();
}
