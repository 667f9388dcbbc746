using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace DockerPS.HelpGen;

/// <summary>Writes command help as the MAML file that Get-Help reads for a binary module (Windows PowerShell 5.1 and PowerShell 7).</summary>
internal static partial class MamlWriter
{
    /// <summary>PowerShell looks for a binary module's command help under the name of its assembly plus "-Help.xml".</summary>
    public const string FileName = "DockerPS.dll-Help.xml";

    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Save(IEnumerable<CommandHelp> commands, string path)
    {
        // Get-Help only loads files whose root is helpItems with schema="maml"; the prefixes are the customary ones.
        var root = new XElement(
            Msh + "helpItems",
            new XAttribute("schema", "maml"),
            new XAttribute("xmlns", Msh.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "maml", Maml.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName),
            commands.Select(CommandElement));

        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            NewLineChars = "\n",
        };
        using var writer = XmlWriter.Create(path, settings);
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
    }

    private static XElement CommandElement(CommandHelp help) => new(
        Command + "command",
        new XElement(
            Command + "details",
            new XElement(Command + "name", help.Name),
            new XElement(Command + "verb", help.Verb),
            new XElement(Command + "noun", help.Noun),
            Description(help.Synopsis)),
        Description(help.Description),
        new XElement(Command + "syntax", SyntaxItems(help)),
        new XElement(Command + "parameters", help.Parameters.Select(p => ParameterElement(p, p.Attributes[0], inSyntax: false))),
        new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
        new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
        help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
        new XElement(Command + "examples", help.Examples.Select(ExampleElement)),
        new XElement(Command + "relatedLinks", Links(help).Select(LinkElement)));

    /// <summary>
    /// One syntax item per parameter set, each listing the parameters of that set in the order the page's
    /// syntax block shows them (then by position, then page order), since Get-Help prints them in file order.
    /// </summary>
    private static IEnumerable<XElement> SyntaxItems(CommandHelp help)
    {
        var sets = help.Syntax.Select(s => s.Name).Where(n => n.Length > 0).ToList();
        foreach (var set in help.Parameters.SelectMany(p => p.Attributes).SelectMany(a => a.ParameterSets))
        {
            if (!sets.Contains(set, StringComparer.OrdinalIgnoreCase))
            {
                sets.Add(set);
            }
        }

        // A single set (or none named) holds every parameter, whatever set names the yaml blocks give.
        if (sets.Count <= 1)
        {
            var all = help.Parameters.Select(p => (Parameter: p, Attributes: p.Attributes[0]));
            yield return SyntaxItem(help, help.Syntax.FirstOrDefault()?.Code ?? string.Empty, all);
            yield break;
        }

        foreach (var set in sets)
        {
            var code = help.Syntax.FirstOrDefault(s => s.Name.Equals(set, StringComparison.OrdinalIgnoreCase))?.Code ?? string.Empty;
            var members = help.Parameters
                .Select(p => (Parameter: p, Attributes: p.AttributesFor(set)))
                .Where(m => m.Attributes is not null)
                .Select(m => (m.Parameter, Attributes: m.Attributes!));
            yield return SyntaxItem(help, code, members);
        }
    }

    private static XElement SyntaxItem(CommandHelp help, string code, IEnumerable<(ParameterHelp Parameter, ParameterAttributes Attributes)> members)
    {
        var shown = SyntaxParameterPattern().Matches(code).Select(m => m.Groups["name"].Value).ToList();
        var ordered = members
            .Select((m, index) => (m.Parameter, m.Attributes, index))
            .OrderBy(m => IndexOrLast(shown.FindIndex(n => n.Equals(m.Parameter.Name, StringComparison.OrdinalIgnoreCase))))
            .ThenBy(m => int.TryParse(m.Attributes.Position, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : int.MaxValue)
            .ThenBy(m => m.index);
        return new XElement(
            Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            ordered.Select(m => ParameterElement(m.Parameter, m.Attributes, inSyntax: true)));

        static int IndexOrLast(int index) => index < 0 ? int.MaxValue : index;
    }

    private static XElement ParameterElement(ParameterHelp parameter, ParameterAttributes attributes, bool inSyntax)
    {
        var element = new XElement(
            Command + "parameter",
            new XAttribute("required", Lower(attributes.Required)),
            new XAttribute("variableLength", Lower(attributes.Type.EndsWith("[]", StringComparison.Ordinal))),
            new XAttribute("globbing", Lower(attributes.Globbing)),
            new XAttribute("pipelineInput", attributes.PipelineInput),
            new XAttribute("position", attributes.Position),
            new XAttribute("aliases", attributes.Aliases.Count == 0 ? "none" : string.Join(", ", attributes.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));

        // Get-Help prints a switch in the syntax without a value ("[-Force]"), and a fixed set of values as "{A | B}".
        if (inSyntax && attributes.AcceptedValues.Count > 0)
        {
            element.Add(new XElement(
                Command + "parameterValueGroup",
                attributes.AcceptedValues.Select(v => ParameterValue(v, required: false))));
        }
        else if (!inSyntax || !attributes.IsSwitch)
        {
            element.Add(ParameterValue(attributes.Type, required: !attributes.IsSwitch));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", attributes.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", attributes.DefaultValue));
        return element;
    }

    private static XElement ParameterValue(string value, bool required) => new(
        Command + "parameterValue",
        new XAttribute("required", Lower(required)),
        new XAttribute("variableLength", "false"),
        value);

    private static XElement TypeElement(string kind, TypeHelp type) => new(
        Command + kind,
        new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
        Description(type.Description));

    private static XElement ExampleElement(ExampleHelp example) => new(
        Command + "example",
        new XElement(Maml + "title", ExampleTitle(example.Title)),
        new XElement(Dev + "code", example.Code),
        new XElement(Dev + "remarks", Paras(example.Remarks)));

    /// <summary>Get-Help prints the title as is; the dashes set each example apart, as in the shipped help.</summary>
    private static string ExampleTitle(string title)
    {
        var dashes = new string('-', Math.Max(10, (64 - title.Length - 2) / 2));
        return $"{dashes} {title} {dashes}";
    }

    private static IEnumerable<RelatedLink> Links(CommandHelp help)
    {
        // Get-Help -Online opens the first link's address.
        if (!string.IsNullOrWhiteSpace(help.OnlineVersion))
        {
            yield return new RelatedLink("Online Version:", help.OnlineVersion);
        }

        foreach (var link in help.Links)
        {
            yield return link;
        }
    }

    private static XElement LinkElement(RelatedLink link) => new(
        Maml + "navigationLink",
        new XElement(Maml + "linkText", link.Text),
        new XElement(Maml + "uri", link.Uri));

    /// <summary>A description holds only para elements: Get-Help reports anything else as invalid.</summary>
    private static XElement? Description(IReadOnlyList<string> paragraphs) =>
        paragraphs.Count == 0 ? null : new XElement(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));

    private static string Lower(bool value) => value ? "true" : "false";

    /// <summary>"-Name" after a space or "[" in a syntax line; the hyphen inside Verb-Noun doesn't match.</summary>
    [GeneratedRegex(@"(?<=[\s\[])-(?<name>[A-Za-z]\w*)")]
    private static partial Regex SyntaxParameterPattern();
}
