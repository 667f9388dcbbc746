using System.Text.RegularExpressions;

namespace DockerPS.Tests;

/// <summary>
/// The default views rendered at 80, 120 and 200 columns: identifying values are never cut, widths follow the values,
/// and every port is shown as docker ps shows it.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class FormatViewTests
{
    private static readonly int[] Widths = { 80, 120, 200 };
    private readonly EngineFixture engine;

    public FormatViewTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void ContainerView_KeepsNameAndStateWholeAtEveryWidth_AndShowsEveryPortAsDockerDoes()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("a-long-name-for-views");
        int port = 20000 + (Random.Shared.Next(0, 1000) * 8);
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label,
            "-p", $"[::1]:{port}:90", "-p", $"127.0.0.1:{port + 1}-{port + 3}:91-93/udp",
            "-p", $"127.0.0.1:{port + 4}:{port + 4}", "-p", $"127.0.0.1:{port + 5}:{port + 5}", EngineFixture.BaseImage, "sleep", "300");
        string dockerPorts = Shell.Docker("ps", "--filter", "name=" + name, "--format", "{{.Ports}}");
        Assert.Contains($"[::1]:{port}->90/tcp", dockerPorts, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port + 4}-{port + 5}->{port + 4}-{port + 5}/tcp", dockerPorts, StringComparison.Ordinal);

        foreach (int width in Widths)
        {
            string row = RenderedRow(width, $"Get-DockerContainer -Name {name}", name);
            Assert.Matches(@"^[0-9a-f]{12} ", row);
            Assert.Matches($@" {Regex.Escape(name)} +Up ", row);
            Assert.DoesNotContain("-1", row.Replace(name, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        // Wide enough, the whole PORTS text is docker's, byte for byte; the table never cuts the IPv6 address short.
        Assert.EndsWith(" " + dockerPorts, RenderedRow(400, $"Get-DockerContainer -Name {name}", name), StringComparison.Ordinal);

        // The Wide view and the list show more than docker ps: the state, the networks and the whole command.
        string wide = RenderedRow(400, $"Get-DockerContainer -Name {name} | Format-Table -View Wide", name);
        Assert.Matches($@" {Regex.Escape(name)} +Running +Up .* bridge +{Regex.Escape(dockerPorts)} +""sleep 300""$", wide);
        string list = Rendered(200, $"Get-DockerContainer -Name {name} | Format-List");
        Assert.Matches($@"\nName +: {Regex.Escape(name)}\n", list);
        Assert.Matches(@"\nStartedAt +: ", list);
    }

    [Fact]
    public void ImageView_ShowsWholeRepositoriesAndTags_OneRowPerReference_AtEveryWidth()
    {
        string repository = $"registry.example.com:5000/qa/views-{engine.RunId}";
        string tag = "1.2.3-alpine3.19";
        string id = engine.ImportRootfs($"{repository}:{tag}", 0);
        Shell.Docker("tag", id, $"{repository}:ps2");
        foreach (int width in Widths)
        {
            string[] rows = Rendered(width, $"Get-DockerImage -Name '{repository}'").Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.StartsWith(repository + " ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, rows.Length);
            foreach (string t in new[] { tag, "ps2" })
            {
                Assert.True(rows.Any(r => Regex.IsMatch(r, $@"^{Regex.Escape(repository)} +{Regex.Escape(t)} +{id.Substring(7, 12)}( |$)")), $"{t} at {width}:\n" + string.Join("\n", rows));
            }

            Assert.All(rows, r => Assert.DoesNotContain("-1", r[repository.Length..], StringComparison.Ordinal));
        }

        string wide = Rendered(400, $"Get-DockerImage -Name '{repository}' | Format-Table -View Wide");
        Assert.Contains($"{repository}:{tag}, {repository}:ps2", wide, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"Containers\s*:\s*-1", Rendered(200, $"Get-DockerImage -Name '{repository}' | Format-List"));
    }

    [Fact]
    public void VolumeView_ShowsWholeAnonymousNamesAtEveryWidth()
    {
        string anonymous = Shell.Docker("volume", "create", "--label", engine.Label);
        Assert.Matches("^[0-9a-f]{64}$", anonymous);
        foreach (int width in Widths)
        {
            string row = RenderedRow(width, $"Get-DockerVolume -Name {anonymous}", anonymous);
            Assert.Matches($@"^local +{anonymous}( |$)", row);
        }

        string mountpoint = Shell.Docker("volume", "inspect", "--format", "{{.Mountpoint}}", anonymous);
        Assert.Contains(mountpoint, RenderedRow(400, $"Get-DockerVolume -Name {anonymous} | Format-Table -View Wide", anonymous), StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkView_ShowsTheWholeNameAndEveryAttachedContainer()
    {
        engine.EnsureBaseImage();
        string network = engine.NewName("a-network-with-a-long-name");
        Shell.Docker("network", "create", "--label", engine.Label, network);
        var names = Enumerable.Range(1, 9).Select(i => engine.NewName($"on-net-{i}")).ToArray();
        foreach (string n in names)
        {
            Shell.Docker("run", "-d", "--name", n, "--label", engine.Label, "--network", network, EngineFixture.BaseImage, "sleep", "300");
        }

        foreach (int width in Widths)
        {
            string row = RenderedRow(width, $"Get-DockerNetwork -Name {network}", network);
            Assert.Matches($@"^[0-9a-f]{{12}} +{Regex.Escape(network)} +bridge", row);
        }

        string all = RenderedRow(600, $"Get-DockerNetwork -Name {network} | Format-Table -View Wide", network);
        foreach (string n in names)
        {
            Assert.Contains(n, all, StringComparison.Ordinal);
        }
    }

    /// <summary>Renders a pipeline through Out-String at a width and returns the one line that holds <paramref name="key"/>.</summary>
    private string RenderedRow(int width, string script, string key)
    {
        var lines = Rendered(width, script).Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();
        Assert.All(lines, l => Assert.True(l.Length <= width, $"a line is wider than {width}: {l}"));
        return Assert.Single(lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    private string Rendered(int width, string script)
    {
        using var ps = new PsSession(engine);
        var result = ps.Run($"{script} | Out-String -Width {width}");
        result.AssertNoErrors();
        return string.Concat(result.Output.Select(o => o.BaseObject as string));
    }
}
