using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DockerPS.Tests;

/// <summary>Prune, commit, history and the list filters, against the real engine.</summary>
[Collection(EngineCollection.Name)]
public sealed class ImageMaintenanceTests
{
    private readonly EngineFixture engine;

    public ImageMaintenanceTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void ClearDockerImage_WhatIfListsWhatWouldGoWithTheBytes_ThenThePruneRemovesExactlyThat()
    {
        // Re-importing under the same tag leaves the older images dangling, as a rebuild does.
        string first = engine.ImportRootfs("dockerps-test/prune:1", 300_000);
        string second = engine.ImportRootfs("dockerps-test/prune:1", 200_000);
        engine.ImportRootfs("dockerps-test/prune:1", 0);
        // A dangling image a container still uses must never be pruned.
        string used = engine.ImportRootfs("dockerps-test/prune-used:1", 0);
        string user = engine.NewName("pruneuser");
        Shell.Docker("create", "--name", user, "--label", engine.Label, "dockerps-test/prune-used:1", "true");
        engine.ImportRootfs("dockerps-test/prune-used:1", 0);

        using var ps = new PsSession(engine);
        var preview = ps.Run("Clear-DockerImage -Label $label -WhatIf");
        preview.AssertNoErrors();
        Assert.Empty(preview.Output);
        string rendered = ps.Rendered;
        Assert.Contains($"on target \"<none>:<none>", rendered, StringComparison.Ordinal);
        Assert.Contains(first.Substring(7, 12), rendered, StringComparison.Ordinal);
        Assert.Contains(second.Substring(7, 12), rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(used.Substring(7, 12), rendered, StringComparison.Ordinal);
        var total = Regex.Match(rendered, @"(\d+) dangling images on .*, freeing .* \(([\d,]+) bytes\)");
        Assert.True(total.Success, rendered);
        long previewBytes = long.Parse(total.Groups[2].Value.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(EngineFixture.ImageExists(first), "-WhatIf removed nothing");

        var pruned = ps.Run("Clear-DockerImage -Label $label -Force");
        pruned.AssertNoErrors();
        var report = Assert.Single(pruned.Objects<DockerPruneResult>());
        Assert.Contains(first, report.Deleted);
        Assert.Contains(second, report.Deleted);
        Assert.DoesNotContain(used, report.Deleted);
        Assert.Equal(int.Parse(total.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), report.Deleted.Count);
        Assert.Equal(previewBytes, report.SpaceReclaimed);
        Assert.True(report.SpaceReclaimed > 500_000);
        Assert.False(EngineFixture.ImageExists(first));
        Assert.True(EngineFixture.ImageExists(used), "the image a container uses stayed");
    }

    [Fact]
    public void ClearDockerImage_UntilTakesDatesAndDurations_AndRejectsNonsense()
    {
        using var ps = new PsSession(engine);
        var old = ps.Run("Clear-DockerImage -All -Label $label -Until ([TimeSpan]::FromDays(3650)) -Force");
        old.AssertNoErrors();
        Assert.Empty(Assert.Single(old.Objects<DockerPruneResult>()).Deleted);
        ps.Run("Clear-DockerImage -Label $label -Until '24h' -WhatIf").AssertNoErrors();
        ps.Run("Clear-DockerImage -Label $label -Until ([datetime]'2001-01-01') -WhatIf").AssertNoErrors();
        var bad = ps.Run("Clear-DockerImage -Until 'whenever' -Force");
        var error = Assert.Single(bad.Errors);
        Assert.Equal("InvalidFilter", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void ConvertToDockerImage_CommitsAContainer_WithAuthorMessageAndChanges()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("commit");
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        Shell.Docker("exec", name, "sh", "-c", "echo committed > /hello");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        var result = ps.Run("Get-DockerContainer -Name $n | ConvertTo-DockerImage -Repository dockerps-test/committed -Tag v1 -Author 'Tester <t@example.com>' -Message 'add hello' -Change \"LABEL $label\", 'ENV GREETING=hi', 'CMD [\"cat\", \"/hello\"]'");
        result.AssertNoErrors();
        var image = Assert.Single(result.Objects<DockerImage>());
        Assert.Equal(new[] { "dockerps-test/committed:v1" }, image.RepoTags);
        Assert.Equal("Tester <t@example.com>", image.Author);
        Assert.Equal("add hello", image.Comment);
        Assert.Contains("GREETING=hi", image.Env!);
        Assert.Equal(new[] { "cat", "/hello" }, image.Cmd);
        Assert.Equal("committed", Shell.Docker("run", "--rm", "--label", engine.Label, "dockerps-test/committed:v1"));

        var history = ps.Run("Get-DockerImageHistory dockerps-test/committed:v1");
        history.AssertNoErrors();
        var layers = history.Objects<DockerImageLayer>().ToList();
        Assert.Equal(2, layers.Count);
        Assert.Equal("add hello", layers[0].Comment);
        Assert.Equal(image.Id, layers[0].Id);
        Assert.Contains("dockerps-test/committed:v1", layers[0].Tags);
        Assert.True(layers[1].Size > 500_000, "the busybox layer");
        Assert.Equal(0, layers[0].Index);

        var missing = ps.Run("ConvertTo-DockerImage -Container dockerps-test-no-such-container -Repository x/y");
        Assert.Equal("ContainerNotFound", Assert.Single(missing.ErrorIds));
    }

    [Fact]
    public void GetDockerImage_LabelBeforeSinceReferenceAndDetailed()
    {
        string a = engine.ImportRootfs("dockerps-test/order-a:1", 0, "LABEL tier=a");
        Thread.Sleep(1100);
        string b = engine.ImportRootfs("dockerps-test/order-b:1", 0, "LABEL tier=b", "ENV COLOR=blue", "EXPOSE 8080", "WORKDIR /srv");
        Thread.Sleep(1100);
        string c = engine.ImportRootfs("dockerps-test/order-c:1", 0, "LABEL tier=c");
        using var ps = new PsSession(engine);

        var byLabel = ps.Run("Get-DockerImage -Label tier=b").Objects<DockerImage>().Select(i => i.Id).ToList();
        Assert.Equal(new[] { b }, byLabel);
        var before = ps.Run("Get-DockerImage -Before dockerps-test/order-b:1 -Label $label").Objects<DockerImage>().Select(i => i.Id).ToList();
        Assert.Contains(a, before);
        Assert.DoesNotContain(b, before);
        Assert.DoesNotContain(c, before);
        var since = ps.Run("Get-DockerImage -Since dockerps-test/order-b:1 -Label $label").Objects<DockerImage>().Select(i => i.Id).ToList();
        Assert.Contains(c, since);
        Assert.DoesNotContain(a, since);
        var byReference = ps.Run("Get-DockerImage -Reference 'dockerps-test/order-*'").Objects<DockerImage>().Select(i => i.Id).ToList();
        Assert.Equal(new[] { a, b, c }.OrderBy(x => x), byReference.OrderBy(x => x));

        var detailed = Assert.Single(ps.Run("Get-DockerImage dockerps-test/order-b:1 -Detailed").Objects<DockerImage>());
        Assert.True(detailed.HasDetails);
        Assert.Contains("COLOR=blue", detailed.Env!);
        Assert.Equal(new[] { "8080/tcp" }, detailed.ExposedPorts);
        Assert.Equal("/srv", detailed.WorkingDir);
        Assert.Single(detailed.Layers!);
        Assert.Equal("linux", detailed.Os);
        Assert.False(Assert.Single(ps.Run("Get-DockerImage dockerps-test/order-b:1").Objects<DockerImage>()).HasDetails);

        var unknown = ps.Run("Get-DockerImage -Before dockerps-test/no-such:1");
        Assert.Equal("ImageNotFound", Assert.Single(unknown.ErrorIds));

        // All images of one repository, piped to removal.
        engine.ImportRootfs("dockerps-test/order-a:2", 0);
        ps.Run("Get-DockerImage dockerps-test/order-a | Remove-DockerImage -Force").AssertNoErrors();
        Assert.Empty(ps.Run("Get-DockerImage 'dockerps-test/order-a*'").Output);
        Assert.True(EngineFixture.ImageExists("dockerps-test/order-b:1"));
    }
}
