using System.Management.Automation;
using System.Net.Sockets;
using System.Text.Json;

namespace DockerPS.Tests;

/// <summary>
/// Images as one object per reference, as docker image ls shows them, and removal that touches only the references
/// selected: ground truth from docker image ls, docker image inspect and the engine's own counts.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ImageReferenceTests
{
    private readonly EngineFixture engine;

    public ImageReferenceTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void PipedImagesFoundByName_RemoveOnlyThatRepositorysTags_TheOtherRepositoriesKeepTheImage()
    {
        var (id, mine, others) = SharedImage("pipe");
        using var ps = new PsSession(engine);
        ps.Set("mine", Repository("pipe-mine"));

        var removed = ps.Run("Get-DockerImage -Name \"$mine*\" | Remove-DockerImage -Force -Confirm:$false -Verbose 4>&1");

        removed.AssertNoErrors();
        // The verbose report is the engine's own: what it untagged, and that it deleted nothing.
        var report = removed.Objects<VerboseRecord>().Select(v => v.Message)
            .Where(m => m.StartsWith("Untagged: ", StringComparison.Ordinal) || m.StartsWith("Deleted: ", StringComparison.Ordinal))
            .OrderBy(m => m).ToArray();
        Assert.Equal(mine.Select(r => "Untagged: " + r).OrderBy(m => m), report);
        Assert.All(mine, r => Assert.False(EngineFixture.ImageExists(r), $"{r} was untagged"));
        Assert.True(EngineFixture.ImageExists(id), "the image stays while other repositories name it");
        Assert.Equal(others.OrderBy(t => t), RepoTags(id).OrderBy(t => t));
    }

    [Fact]
    public void RemoveById_OfAnImageWithSeveralTags_IsRefusedWithoutForce_NamingTheTags_AndForceRemovesItAll()
    {
        var (id, mine, others) = SharedImage("byid");
        string[] all = mine.Concat(others).ToArray();
        using var ps = new PsSession(engine);
        ps.Set("id", id);

        var refused = ps.Run("Remove-DockerImage -Id $id.Substring(7, 12) -Confirm:$false");

        ErrorRecord error = Assert.Single(refused.Errors);
        Assert.Equal("ImageHasSeveralReferences", Assert.Single(refused.ErrorIds));
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Equal(id, error.TargetObject);
        Assert.All(all, tag => Assert.Contains(tag, error.Exception.Message, StringComparison.Ordinal));
        Assert.Contains("-Force", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(all.OrderBy(t => t), RepoTags(id).OrderBy(t => t));

        var forced = ps.Run("Remove-DockerImage -Id $id -Force");

        forced.AssertNoErrors();
        Assert.False(EngineFixture.ImageExists(id), "-Force by id removes the image, as docker rmi -f does");
        Assert.All(all, tag => Assert.False(EngineFixture.ImageExists(tag)));
    }

    [Fact]
    public void APipedUntaggedImage_ThatHasSinceBeenTaggedTwice_IsRefusedWithoutForce()
    {
        // Importing again under the same tag leaves the first image untagged.
        string source = Repository("untagged-src") + ":1";
        string id = engine.ImportRootfs(source, 0);
        engine.ImportRootfs(source, 0);
        using var ps = new PsSession(engine);
        ps.Set("id", id);
        var untagged = Assert.Single(ps.Run("Get-DockerImage -Id $id").Objects<DockerImage>());
        Assert.Null(untagged.Reference);
        Assert.Equal("<none>", untagged.Tag);
        ps.Set("image", untagged);
        string[] tags = { Repository("untagged-a") + ":1", Repository("untagged-b") + ":1" };
        foreach (string tag in tags)
        {
            Shell.Docker("tag", id, tag);
        }

        var refused = ps.Run("$image | Remove-DockerImage -Confirm:$false");

        Assert.Equal("ImageHasSeveralReferences", Assert.Single(refused.ErrorIds));
        Assert.All(tags, tag => Assert.Contains(tag, refused.Errors[0].Exception.Message, StringComparison.Ordinal));
        Assert.Equal(tags.OrderBy(t => t), RepoTags(id).OrderBy(t => t));
    }

    [Fact]
    public void WhatIf_NamesEachReferenceItWouldUntag_AndEachImageItWouldDelete_AndTouchesNothing()
    {
        var (id, mine, others) = SharedImage("whatif");
        string single = Repository("whatif-single") + ":1";
        string singleId = engine.ImportRootfs(single, 0);
        using var ps = new PsSession(engine);
        ps.Set("mine", Repository("whatif-mine"));
        ps.Set("single", single);
        ps.Set("id", id);

        ps.Run("Get-DockerImage -Name \"$mine*\" | Remove-DockerImage -WhatIf").AssertNoErrors();
        ps.Run("Remove-DockerImage -Name $single -WhatIf").AssertNoErrors();
        ps.Run("Remove-DockerImage -Id $id -Force -WhatIf").AssertNoErrors();

        string rendered = ps.Rendered;
        foreach (string reference in mine)
        {
            Assert.Contains($"Performing the operation \"Untag\" on target \"{reference}\"", rendered, StringComparison.Ordinal);
        }

        Assert.Contains($"Performing the operation \"Untag, then delete image {singleId.Substring(7, 12)} (no reference left)\" on target \"{single}\"", rendered, StringComparison.Ordinal);
        Assert.Contains($"Performing the operation \"Delete image\" on target \"{id.Substring(7, 12)} (tags: ", rendered, StringComparison.Ordinal);
        Assert.All(others, r => Assert.DoesNotContain($"on target \"{r}\"", rendered, StringComparison.Ordinal));
        Assert.Equal(mine.Concat(others).OrderBy(t => t), RepoTags(id).OrderBy(t => t));
        Assert.True(EngineFixture.ImageExists(single));
    }

    [Fact]
    public void GetDockerImage_ListsTheSameRowsAsDockerImageLs_OneObjectPerReference_WithEveryTagKept()
    {
        var (id, mine, others) = SharedImage("rows");
        string repository = Repository("rows-mine");
        using var ps = new PsSession(engine);
        ps.Set("repo", repository);

        foreach (string script in new[] { "Get-DockerImage $repo", "Get-DockerImage -Reference $repo" })
        {
            var rows = ps.Run(script);
            rows.AssertNoErrors();
            var objects = rows.Objects<DockerImage>().ToList();
            var cli = Shell.Docker("image", "ls", repository, "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).OrderBy(l => l).ToArray();
            Assert.Equal(2, cli.Length);
            Assert.Equal(cli, objects.Select(o => $"{o.Repository}:{o.Tag} {o.Id}").OrderBy(l => l).ToArray());
            Assert.All(objects, o => Assert.Equal(o.Repository + ":" + o.Tag, o.Reference));
            Assert.All(objects, o => Assert.Equal(mine.Concat(others).OrderBy(t => t), o.RepoTags.OrderBy(t => t)));
        }

        // The whole list: one row per reference here too.
        var everything = ps.Run("Get-DockerImage").Objects<DockerImage>().Where(o => o.Id == id).Select(o => o.Reference).OrderBy(r => r);
        Assert.Equal(mine.Concat(others).OrderBy(t => t), everything);
    }

    [Fact]
    public void AnImageTaggedPsAndPs2_ShowsBothTags_InTheObjectsAndTheTable()
    {
        string repository = Repository("acc");
        string id = engine.ImportRootfs(repository + ":ps", 0);
        Shell.Docker("tag", repository + ":ps", repository + ":ps2");
        using var ps = new PsSession(engine);
        ps.Set("repo", repository);

        var rows = ps.Run("Get-DockerImage $repo").Objects<DockerImage>().ToList();
        Assert.Equal(new[] { "ps", "ps2" }, rows.Select(r => r.Tag).OrderBy(t => t, StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(id, r.Id));
        Assert.Equal("ps2", Assert.Single(ps.Run("Get-DockerImage \"${repo}:ps2\"").Objects<DockerImage>()).Tag);

        ps.Run("Get-DockerImage $repo | Out-Default").AssertNoErrors();
        var lines = ps.Rendered.Split('\n').Where(l => l.StartsWith(repository, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{repository}\s+ps2\s+{id.Substring(7, 12)}"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{repository}\s+ps\s+{id.Substring(7, 12)}"));
    }

    [Fact]
    public void ContainersIsTheEnginesCount_NeverTheMinusOnePlaceholder()
    {
        string reference = Repository("count") + ":1";
        string id = engine.ImportRootfs(reference, 0);
        using var ps = new PsSession(engine);
        ps.Set("ref", reference);

        var before = Assert.Single(ps.Run("Get-DockerImage $ref").Objects<DockerImage>());
        Assert.Equal(0, before.Containers);
        for (int i = 0; i < 2; i++)
        {
            Shell.Docker("create", "--name", engine.NewName("count"), "--label", engine.Label, reference, "true");
        }

        var after = Assert.Single(ps.Run("Get-DockerImage $ref").Objects<DockerImage>());
        Assert.Equal(2, after.Containers);
        Assert.Equal(EngineContainerCount(id), after.Containers);
        var detailed = Assert.Single(ps.Run("Get-DockerImage $ref -Detailed").Objects<DockerImage>());
        Assert.Equal(2, detailed.Containers);
        Assert.Equal(reference, detailed.Reference);

        // No number on any image object is a -1 placeholder, and no table shows one.
        foreach (var image in ps.Run("Get-DockerImage").Objects<DockerImage>())
        {
            foreach (var property in typeof(DockerImage).GetProperties())
            {
                object? value = property.GetValue(image);
                Assert.False(value is int or long && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == -1, $"{property.Name} of {image} is -1");
            }
        }

        ps.Run("Get-DockerImage | Out-Default").AssertNoErrors();
        Assert.DoesNotContain(" -1", ps.Rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Consumers_ActOnTheReferenceAPipedObjectStandsFor()
    {
        var (id, mine, others) = SharedImage("consumers");
        using var ps = new PsSession(engine);
        ps.Set("mine", Repository("consumers-mine"));
        string archive = engine.NewPath("refs.tar");
        ps.Set("archive", archive);

        // Save: exactly the references piped, all of them, in one archive.
        ps.Run("Get-DockerImage -Name \"$mine*\" | Save-DockerImage -Path $archive").AssertNoErrors();
        Assert.Equal(mine.OrderBy(t => t), ArchiveTags(archive).OrderBy(t => t));

        // History: one image, however many of its references are piped.
        var history = ps.Run("Get-DockerImage -Name \"$mine*\" | Get-DockerImageHistory");
        history.AssertNoErrors();
        int layers = Shell.Docker("history", "-q", id).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Equal(layers, history.Objects<DockerImageLayer>().Count());

        // A container made from a piped object names the reference it stood for.
        string name = engine.NewName("fromref");
        ps.Set("n", name);
        ps.Set("second", mine[1]);
        ps.Run("Get-DockerImage $second | New-DockerContainer -Name $n -Label $label -Command true").AssertNoErrors();
        Assert.Equal(mine[1], Shell.Docker("container", "inspect", "--format", "{{.Config.Image}}", name));

        // Tag -PassThru stands for the new tag; the archive loads back as one object per reference.
        string added = Repository("consumers-added") + ":1";
        ps.Set("added", added);
        var tagged = Assert.Single(ps.Run("Get-DockerImage $second | Add-DockerImageTag -Target $added -PassThru").Objects<DockerImage>());
        Assert.Equal(added, tagged.Reference);
        var loaded = ps.Run("Import-DockerImage -Path $archive");
        loaded.AssertNoErrors();
        Assert.Equal(mine.OrderBy(t => t), loaded.Objects<DockerImage>().Select(o => o.Reference).OrderBy(r => r));
    }

    [Fact]
    public void APipedReferenceThatNowNamesAnotherImage_IsLeftAlone()
    {
        string reference = Repository("moved") + ":1";
        string first = engine.ImportRootfs(reference, 0);
        Shell.Docker("tag", reference, Repository("moved-keep") + ":1");
        using var ps = new PsSession(engine);
        ps.Set("ref", reference);
        ps.Set("image", Assert.Single(ps.Run("Get-DockerImage $ref").Objects<DockerImage>()));
        string second = engine.ImportRootfs(reference, 0);

        var result = ps.Run("$image | Remove-DockerImage -Force");

        Assert.Equal("ImageReferenceMoved", Assert.Single(result.ErrorIds));
        Assert.Equal(second, EngineFixture.ImageId(reference));
        Assert.True(EngineFixture.ImageExists(first));
    }

    [Fact]
    public void ARepositoryHeldOnlyByDigest_IsOneRowAsInDockerImageLs_AndRemovingItUntagsOnlyTheDigest()
    {
        var registries = engine.Registries();
        string local = Repository("digest-keep") + ":1";
        string remote = $"{registries["OPEN_REGISTRY"]}/{Repository("digest")}";
        string id = engine.ImportRootfs(local, 0);
        Shell.Docker("tag", local, remote + ":1");
        Shell.Docker("push", remote + ":1");
        string pushed = JsonSerializer.Deserialize<string[]>(Shell.Docker("image", "inspect", "--format", "{{json .RepoDigests}}", id))!
            .Single(d => d.StartsWith(remote + "@", StringComparison.Ordinal));
        string digest = pushed.Substring(remote.Length + 1);

        // Untagging drops the repository's digest too; pulling by digest brings back the repository with no tag.
        Shell.Docker("rmi", remote + ":1");
        Shell.Docker("pull", remote + "@" + digest);
        using var ps = new PsSession(engine);
        ps.Set("remote", remote);

        var rows = ps.Run("Get-DockerImage -Id $((Get-DockerImage -Name $remote).Id)").Objects<DockerImage>().ToList();
        var cli = Shell.Docker("image", "ls", "--no-trunc", "--format", "{{.Repository}} {{.Tag}} {{.ID}}")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).Where(l => l.EndsWith(id, StringComparison.Ordinal)).OrderBy(l => l);
        Assert.Equal(cli, rows.Select(r => $"{r.Repository} {r.Tag} {r.Id}").OrderBy(l => l));
        var byDigest = Assert.Single(rows, r => r.Repository == remote);
        Assert.Equal(remote + "@" + digest, byDigest.Reference);

        ps.Run("Get-DockerImage -Name $remote | Remove-DockerImage -Force").AssertNoErrors();
        Assert.Empty(JsonSerializer.Deserialize<string[]>(Shell.Docker("image", "inspect", "--format", "{{json .RepoDigests}}", id)) ?? Array.Empty<string>());
        Assert.Equal(new[] { local }, RepoTags(id));
    }

    /// <summary>A repository name of this run (lowercase, unique).</summary>
    private string Repository(string what) => $"dockerps-test/{what}-{engine.RunId}";

    /// <summary>One image under two tags of "{what}-mine" and one tag each of two other repositories.</summary>
    private (string Id, string[] Mine, string[] Others) SharedImage(string what)
    {
        string[] mine = { Repository(what + "-mine") + ":1", Repository(what + "-mine") + ":2" };
        string[] others = { Repository(what + "-base") + ":1", Repository(what + "-other") + ":2" };
        string id = engine.ImportRootfs(mine[0], 0);
        foreach (string tag in mine.Skip(1).Concat(others))
        {
            Shell.Docker("tag", mine[0], tag);
        }

        Assert.Equal(mine.Concat(others).OrderBy(t => t), RepoTags(id).OrderBy(t => t));
        return (id, mine, others);
    }

    private static string[] RepoTags(string reference) =>
        JsonSerializer.Deserialize<string[]>(Shell.Docker("image", "inspect", "--format", "{{json .RepoTags}}", reference)) ?? Array.Empty<string>();

    private static string[] ArchiveTags(string archive)
    {
        string manifest = Shell.Run("tar", "-xOf", archive, "manifest.json").StdOut;
        using var doc = JsonDocument.Parse(manifest);
        return doc.RootElement.EnumerateArray()
            .SelectMany(i => i.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array ? tags.EnumerateArray().Select(t => t.GetString()!) : Enumerable.Empty<string>())
            .ToArray();
    }

    /// <summary>The engine's own count of the image's containers, from GET /system/df.</summary>
    private static int EngineContainerCount(string id)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint("/var/run/docker.sock"), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        using var doc = JsonDocument.Parse(http.GetStringAsync("http://docker/system/df").GetAwaiter().GetResult());
        return doc.RootElement.GetProperty("Images").EnumerateArray()
            .Where(i => i.GetProperty("Id").GetString() == id)
            .Select(i => i.GetProperty("Containers").GetInt32())
            .Single();
    }
}
