using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;

namespace DockerPS.Tests;

/// <summary>The module as a user meets it: manifest, format views, help, tab completion.</summary>
[Collection(EngineCollection.Name)]
public sealed partial class ModuleSurfaceTests
{
    private static readonly string[] CommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    private readonly EngineFixture engine;

    public ModuleSurfaceTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void Manifest_MatchesTheAssembly_VersionAndExportedCmdlets()
    {
        using var ps = new PsSession(engine);
        ps.Set("manifest", engine.ModuleManifest);
        var result = ps.Run("Test-ModuleManifest -Path $manifest");
        result.AssertNoErrors();
        var module = (PSModuleInfo)Assert.Single(result.Output).BaseObject;

        Assembly assembly = typeof(DockerImage).Assembly;
        Assert.Equal(engine.ModuleManifest.Replace("DockerPS.psd1", Path.Combine("bin", "DockerPS.dll"), StringComparison.Ordinal), assembly.Location);
        Version assemblyVersion = assembly.GetName().Version!;
        Assert.Equal(new Version(assemblyVersion.Major, assemblyVersion.Minor, assemblyVersion.Build), module.Version);

        var cmdletsInAssembly = assembly.GetExportedTypes()
            .Select(t => t.GetCustomAttribute<CmdletAttribute>())
            .Where(a => a != null)
            .Select(a => $"{a!.VerbName}-{a.NounName}")
            .OrderBy(n => n)
            .ToArray();
        Assert.Equal(cmdletsInAssembly, module.ExportedCmdlets.Keys.OrderBy(n => n).ToArray());
        Assert.Contains("Desktop", module.CompatiblePSEditions);
        Assert.Contains("Core", module.CompatiblePSEditions);
        Assert.Equal(new Version(5, 1), module.PowerShellVersion);

        var imported = ps.Run("(Get-Module DockerPS).ExportedCmdlets.Keys");
        Assert.Equal(cmdletsInAssembly, imported.Output.Select(o => (string)o.BaseObject).OrderBy(n => n).ToArray());
    }

    [Fact]
    public void EveryCmdlet_HasAHelpPage_ThatDocumentsEveryParameter()
    {
        using var ps = new PsSession(engine);
        var commands = ps.Run("Get-Command -Module DockerPS").Objects<CmdletInfo>().ToList();
        Assert.NotEmpty(commands);
        string docs = Path.Combine(engine.RepoRoot, "docs", "en-US");
        foreach (CmdletInfo command in commands)
        {
            string page = Path.Combine(docs, command.Name + ".md");
            Assert.True(File.Exists(page), $"{command.Name} has no help page at {page}");
            string text = File.ReadAllText(page);
            var documented = ParameterHeading().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (string parameter in command.Parameters.Keys.Where(p => !CommonParameters.Contains(p)))
            {
                Assert.True(documented.Contains(parameter), $"{command.Name}: -{parameter} is not documented in {page}");
            }

            foreach (string name in documented.Where(d => !CommonParameters.Contains(d, StringComparer.OrdinalIgnoreCase)))
            {
                Assert.True(command.Parameters.ContainsKey(name), $"{page} documents -{name}, which {command.Name} does not have");
            }

            Assert.Matches("## EXAMPLES\\s+### Example 1", text);
        }
    }

    [Fact]
    public void GetHelp_ReadsTheGeneratedMaml()
    {
        using var ps = new PsSession(engine);
        var help = ps.Run("Get-Help New-DockerContainer -Full | Out-Default");
        help.AssertNoErrors();
        string text = ps.Rendered;
        Assert.Contains("New-DockerContainer", text, StringComparison.Ordinal);
        Assert.Contains("SYNOPSIS", text, StringComparison.Ordinal);
        Assert.Contains("-Port <String[]>", text, StringComparison.Ordinal);
        Assert.Contains("-Environment <Object[]>", text, StringComparison.Ordinal);
        Assert.Contains("Example 1", text, StringComparison.Ordinal);
        Assert.Contains("New-DockerContainer", text[text.IndexOf("Example 1", StringComparison.Ordinal)..], StringComparison.Ordinal);

        var synopsis = ps.Run("(Get-Help Invoke-DockerExec).Synopsis");
        string line = (string)Assert.Single(synopsis.Output).BaseObject;
        Assert.False(string.IsNullOrWhiteSpace(line));
        Assert.DoesNotContain("Invoke-DockerExec [-Container]", line, StringComparison.Ordinal);

        var about = ps.Run("Get-Help about_DockerPS | Out-Default");
        about.AssertNoErrors();
        Assert.Contains("DOCKER_HOST", ps.Rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatViews_RenderDockerCliColumns_OverRealValues()
    {
        string imageId = engine.EnsureBaseImage();
        string name = engine.NewName("fmt");
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, "-p", "127.0.0.1::80", EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine, width: 200);
        ps.Set("n", name);
        ps.Run("Get-DockerImage dockerps-test/busybox | Out-Default").AssertNoErrors();
        string images = ps.Rendered;
        Assert.Matches(@"REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE", images);
        Assert.Matches($@"dockerps-test/busybox\s+latest\s+{imageId.Substring(7, 12)}\s+(\d+ seconds|About a minute|\d+ minutes|Less than a second) ago\s+\d+(\.\d+)?MB", images);

        ps.Run("Get-DockerContainer -Name $n | Out-Default").AssertNoErrors();
        string containers = ps.Rendered[images.Length..];
        Assert.Matches(@"CONTAINER ID\s+NAMES\s+STATUS\s+IMAGE\s+COMMAND\s+CREATED\s+PORTS", containers);
        string id = Shell.Docker("container", "inspect", "--format", "{{.Id}}", name)[..12];
        Assert.True(Regex.IsMatch(containers, $"{id}\\s+{name}\\s+Up .*dockerps-test/busyb\\S*\\s+\"sleep 300\"\\s+\\S.*127\\.0\\.0\\.1:\\d+->80/tcp"), containers);

        // The columns are text, but the objects underneath keep real values.
        var container = Assert.Single(ps.Run("Get-DockerContainer -Name $n").Objects<DockerContainer>());
        Assert.IsType<DateTime>(container.Created);
        Assert.Equal(ContainerState.Running, container.State);
        Assert.True(container.Ports[0].PublicPort > 0);
    }

    [Fact]
    public void TabCompletion_OffersImageAndContainerNamesFromTheEngine()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("complete");
        Shell.Docker("create", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "true");
        using var ps = new PsSession(engine);
        var images = Complete(ps, "Get-DockerImage dockerps-test/bu");
        Assert.Contains("dockerps-test/busybox:latest", images);
        var forNew = Complete(ps, "New-DockerContainer -Image dockerps-test/bu");
        Assert.Contains("dockerps-test/busybox:latest", forNew);
        string prefix = name[..^3];
        var containers = Complete(ps, $"Stop-DockerContainer -Name {prefix}");
        Assert.Equal(new[] { name }, containers);
        Assert.Contains(name, Complete(ps, $"Invoke-DockerExec -Container {prefix}"));

        // No engine: completion offers nothing, quickly, instead of failing.
        var none = Complete(ps, "Get-DockerImage -DockerHost unix:///tmp/dockerps-no-such.sock -Name dock");
        Assert.Empty(none);
    }

    internal static List<string> Complete(PsSession ps, string input)
    {
        using var powershell = PowerShell.Create();
        powershell.Runspace = ps.Runspace;
        CommandCompletion completion = CommandCompletion.CompleteInput(input, input.Length, null, powershell);
        return completion.CompletionMatches.Select(m => m.CompletionText).ToList();
    }

    [GeneratedRegex(@"^### -(\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ParameterHeading();
}
