namespace DockerPS.HelpGen;

/// <summary>One cmdlet's help, as read from its markdown page. Text is plain: markup is already gone.</summary>
internal sealed class CommandHelp
{
    public required string Name { get; init; }

    public required string SourceFile { get; init; }

    /// <summary>The front matter's "online version"; Get-Help -Online opens the first related link.</summary>
    public string? OnlineVersion { get; init; }

    public List<string> Synopsis { get; } = [];

    public List<string> Description { get; } = [];

    public List<SyntaxSet> Syntax { get; } = [];

    public List<ParameterHelp> Parameters { get; } = [];

    public List<TypeHelp> Inputs { get; } = [];

    public List<TypeHelp> Outputs { get; } = [];

    public List<string> Notes { get; } = [];

    public List<ExampleHelp> Examples { get; } = [];

    public List<RelatedLink> Links { get; } = [];

    public string Verb => Name.Split('-', 2)[0];

    public string Noun => Name.Split('-', 2)[1];
}

/// <summary>A "### SetName" block of the SYNTAX section; <see cref="Name"/> is empty when the page names no set.</summary>
internal sealed record SyntaxSet(string Name, string Code);

internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

internal sealed record TypeHelp(string Name, IReadOnlyList<string> Description);

internal sealed record RelatedLink(string Text, string Uri);

internal sealed class ParameterHelp
{
    public required string Name { get; init; }

    public List<string> Description { get; } = [];

    /// <summary>One entry per yaml block: a parameter can be required in one set and optional in another.</summary>
    public List<ParameterAttributes> Attributes { get; } = [];

    public ParameterAttributes? AttributesFor(string set) => Attributes.FirstOrDefault(a => a.AppliesTo(set));
}

internal sealed class ParameterAttributes
{
    public required string Type { get; init; }

    /// <summary>Empty means every set ("(All)").</summary>
    public required IReadOnlyList<string> ParameterSets { get; init; }

    public required IReadOnlyList<string> Aliases { get; init; }

    public required IReadOnlyList<string> AcceptedValues { get; init; }

    public required bool Required { get; init; }

    /// <summary>"named" or a number, as help files spell it.</summary>
    public required string Position { get; init; }

    public required string DefaultValue { get; init; }

    /// <summary>As written in the page, e.g. "True (ByPropertyName, ByValue)".</summary>
    public required string PipelineInput { get; init; }

    public required bool Globbing { get; init; }

    public bool IsSwitch =>
        Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase)
        || Type.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

    public bool AppliesTo(string set) =>
        ParameterSets.Count == 0 || ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase);
}
