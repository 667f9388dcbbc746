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
            using var ps = new PsSession(engine, width);
            ps.Run($"Get-DockerImage -Name '{repository}' | Out-Default").AssertNoErrors();
            string[] rows = ps.Rendered.Split('\n').Select(l => l.TrimEnd('\r', ' ')).Where(l => l.StartsWith(repository + " ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, rows.Length);
            foreach (string t in new[] { tag, "ps2" })
            {
                Assert.True(rows.Any(r => Regex.IsMatch(r, $@"^{Regex.Escape(repository)} +{Regex.Escape(t)} +{id.Substring(7, 12)}( |$)")), $"{t} at {width}:\n" + string.Join("\n", rows));
            }

            Assert.All(rows, r => Assert.DoesNotContain("-1", r[repository.Length..], StringComparison.Ordinal));
        }
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

        string all = RenderedRow(600, $"Get-DockerNetwork -Name {network}", network);
        foreach (string n in names)
        {
            Assert.Contains(n, all, StringComparison.Ordinal);
        }
    }

    /// <summary>Renders a pipeline through the default output at a width and returns the one line that holds <paramref name="key"/>.</summary>
    private string RenderedRow(int width, string script, string key)
    {
        using var ps = new PsSession(engine, width);
        ps.Run(script + " | Out-Default").AssertNoErrors();
        var lines = ps.Rendered.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();
        Assert.All(lines, l => Assert.True(l.Length <= width, $"a line is wider than {width}: {l}"));
        return Assert.Single(lines, l => l.Contains(key, StringComparison.Ordinal));
    }
}
