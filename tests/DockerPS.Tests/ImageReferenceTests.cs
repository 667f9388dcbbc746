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

    private static string[] RepoTags(string reference) =>
        JsonSerializer.Deserialize<string[]>(Shell.Docker("image", "inspect", "--format", "{{json .RepoTags}}", reference)) ?? Array.Empty<string>();
}
