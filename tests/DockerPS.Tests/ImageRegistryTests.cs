using System.Management.Automation;

namespace DockerPS.Tests;

/// <summary>Pull, push and registry login against real local registries.</summary>
[Collection(EngineCollection.Name)]
public sealed class ImageRegistryTests
{
    private readonly EngineFixture engine;

    public ImageRegistryTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void PushRemovePull_RoundTrip_ThroughTheOpenRegistry_GivesTheSameContent()
    {
        var registries = engine.Registries();
        // An image of its own, so that after removal every layer really travels back from the registry.
        string sourceId = engine.ImportRootfs("dockerps-test/roundtrip-src:1", 300_000);
        string buildId = Shell.Docker("run", "--rm", "--label", engine.Label, "dockerps-test/roundtrip-src:1", "cat", "/etc/build-id");
        string remote = $"{registries["OPEN_REGISTRY"]}/dockerps-test/roundtrip:{engine.RunId}";
        using var ps = new PsSession(engine);
        ps.Set("remote", remote);

        var tagged = ps.Run("Get-DockerImage dockerps-test/roundtrip-src:1 | Add-DockerImageTag -Target $remote -PassThru");
        tagged.AssertNoErrors();
        Assert.Contains(remote, Assert.Single(tagged.Objects<DockerImage>()).RepoTags);

        var pushed = ps.Run("Publish-DockerImage -Name $remote -PassThru");
        pushed.AssertNoErrors();
        Assert.NotEmpty(Assert.Single(pushed.Objects<DockerImage>()).RepoDigests);
        var pushBars = ps.Host.ProgressRecords.Where(p => p.ParentActivityId == 1).ToList();
        Assert.NotEmpty(pushBars);
        Assert.Contains(ps.Host.ProgressRecords, p => p.ActivityId == 1 && p.Activity == $"Pushing {remote}");
        Assert.Contains(ps.Host.ProgressRecords, p => p.ActivityId == 1 && p.RecordType == ProgressRecordType.Completed);

        engine.RemoveRunContainers();
        // By id with -Force: the image goes with both its tags, so every layer has to come back from the registry.
        ps.Set("sourceId", sourceId);
        ps.Run("Remove-DockerImage -Id $sourceId -Force").AssertNoErrors();
        Assert.False(EngineFixture.ImageExists(remote));

        int before = ps.Host.ProgressRecords.Count;
        var pulled = ps.Run("Request-DockerImage -Name $remote");
        pulled.AssertNoErrors();
        var image = Assert.Single(pulled.Objects<DockerImage>());
        Assert.Contains(remote, image.RepoTags);
        Assert.True(EngineFixture.ImageExists(remote));
        var pullRecords = ps.Host.ProgressRecords.Skip(before).ToList();
        Assert.Contains(pullRecords, p => p.ActivityId == 1 && p.Activity == $"Pulling {remote}");
        var layerIds = pullRecords.Where(p => p.ParentActivityId == 1).Select(p => p.ActivityId).Distinct().ToList();
        Assert.NotEmpty(layerIds);
        Assert.All(layerIds, id => Assert.True(id > 1));

        string name = engine.NewName("pulled");
        ps.Set("n", name);
        var run = ps.Run("Request-DockerImage $remote | New-DockerContainer -Name $n -Command sleep, 60 | Start-DockerContainer -PassThru | Invoke-DockerExec -Command cat, /etc/build-id");
        run.AssertNoErrors();
        Assert.Equal(buildId, Assert.Single(run.Output).BaseObject);
    }

    [Fact]
    public void AuthRegistry_DeniesWithoutLogin_RefusesAWrongPassword_AndWorksAfterConnect()
    {
        var registries = engine.Registries();
        engine.EnsureBaseImage();
        string registry = registries["AUTH_REGISTRY"];
        string remote = $"{registry}/dockerps-test/private:{engine.RunId}";
        Shell.Docker("tag", EngineFixture.BaseImage, remote);
        using var ps = new PsSession(engine);
        ps.Set("remote", remote);
        ps.Set("registry", registry);
        ps.Set("user", registries["AUTH_USER"]);
        ps.Set("password", File.ReadAllText(registries["AUTH_PASSWORD_FILE"]).Trim());
        try
        {
            var denied = ps.Run("Publish-DockerImage -Name $remote");
            var error = Assert.Single(denied.Errors);
            Assert.Equal("RegistryAccessDenied", error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Equal(remote, error.TargetObject);

            var wrong = ps.Run("Connect-DockerRegistry -Registry $registry -Credential ([pscredential]::new($user, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force)))");
            if (wrong.Errors.Any(e => e.FullyQualifiedErrorId.StartsWith("CommandNotFoundException", StringComparison.Ordinal)))
            {
                // ConvertTo-SecureString lives in a module this engine lacks: build the SecureString by hand.
                wrong = ps.Run("$s = [Security.SecureString]::new(); 'not-the-password'.ToCharArray() | ForEach-Object { $s.AppendChar($_) }; Connect-DockerRegistry -Registry $registry -Credential ([pscredential]::new($user, $s))");
            }

            var loginError = Assert.Single(wrong.Errors);
            Assert.Equal("RegistryLoginFailed", loginError.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(ErrorCategory.PermissionDenied, loginError.CategoryInfo.Category);
            Assert.Empty(wrong.Output);

            var connected = ps.Run("$s = [Security.SecureString]::new(); $password.ToCharArray() | ForEach-Object { $s.AppendChar($_) }; Connect-DockerRegistry -Registry $registry -Credential ([pscredential]::new($user, $s))");
            connected.AssertNoErrors();
            var login = Assert.Single(connected.Objects<DockerRegistryConnection>());
            Assert.Equal(registry, login.Registry);
            Assert.Equal(registries["AUTH_USER"], login.UserName);

            ps.Run("Publish-DockerImage -Name $remote").AssertNoErrors();
            ps.Run("Remove-DockerImage -Name $remote -Force").AssertNoErrors();
            var pulled = ps.Run("Request-DockerImage -Name $remote");
            pulled.AssertNoErrors();
            Assert.Equal(EngineFixture.ImageId(EngineFixture.BaseImage), Assert.Single(pulled.Objects<DockerImage>()).Id);

            ps.Run("Disconnect-DockerRegistry -Registry $registry").AssertNoErrors();
            Assert.Equal("RegistryAccessDenied", Assert.Single(ps.Run("Publish-DockerImage -Name $remote").ErrorIds));
            Assert.Equal("RegistryNotConnected", Assert.Single(ps.Run("Disconnect-DockerRegistry -Registry $registry").ErrorIds));
        }
        finally
        {
            ps.Run("Disconnect-DockerRegistry -Registry $registry -ErrorAction SilentlyContinue");
            Shell.Run("docker", "rmi", "-f", remote);
        }
    }

    [Fact]
    public void PullOfAnUnknownTag_IsObjectNotFound_FromTheStream()
    {
        var registries = engine.Registries();
        using var ps = new PsSession(engine);
        ps.Set("remote", $"{registries["OPEN_REGISTRY"]}/dockerps-test/never-pushed:nope");
        var result = ps.Run("Request-DockerImage -Name $remote; 'next'");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ImageNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("next", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void FindDockerImage_WithNoIndexReachable_IsAClearError()
    {
        using var ps = new PsSession(engine);
        var result = ps.Run("Find-DockerImage busybox -Limit 5");
        var error = Assert.Single(result.Errors);
        Assert.Equal("RegistryUnreachable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Equal("busybox", error.TargetObject);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void CtrlC_DuringAPushOfALargeImage_EndsWithinASecond()
    {
        var registries = engine.Registries();
        engine.EnsureBigImage();
        string remote = $"{registries["OPEN_REGISTRY"]}/dockerps-test/big:{engine.RunId}";
        Shell.Docker("tag", EngineFixture.BigImage, remote);
        try
        {
            using var ps = new PsSession(engine);
            ps.Set("remote", remote);
            using var pipeline = ps.Start("Publish-DockerImage -Name $remote", out var pending);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!ps.Host.ProgressRecords.Any(p => p.ParentActivityId == 1 && p.PercentComplete > 0 && p.PercentComplete < 100))
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the push never reported layer progress");
                Assert.False(pending.IsCompleted, "the push finished before it could be stopped");
                Thread.Sleep(10);
            }

            var stopping = System.Diagnostics.Stopwatch.StartNew();
            pipeline.Stop();
            stopping.Stop();
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        }
        finally
        {
            Shell.Run("docker", "rmi", remote);
        }
    }

    [Fact]
    public void DockerCliConfigAuths_AreUsedWhenTheSessionHasNoLogin()
    {
        var registries = engine.Registries();
        engine.EnsureBaseImage();
        string registry = registries["AUTH_REGISTRY"];
        string remote = $"{registry}/dockerps-test/cliauth:{engine.RunId}";
        Shell.Docker("tag", EngineFixture.BaseImage, remote);
        string folder = Directory.CreateDirectory(engine.NewPath("dockercfg")).FullName;
        string auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{registries["AUTH_USER"]}:{File.ReadAllText(registries["AUTH_PASSWORD_FILE"]).Trim()}"));
        File.WriteAllText(Path.Combine(folder, "config.json"), $"{{\"auths\":{{\"{registry}\":{{\"auth\":\"{auth}\"}}}}}}");
        string? before = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        try
        {
            using var ps = new PsSession(engine);
            ps.Set("remote", remote);
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", folder);
            ps.Run("Publish-DockerImage -Name $remote").AssertNoErrors();
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", Directory.CreateDirectory(engine.NewPath("emptycfg")).FullName);
            Assert.Equal("RegistryAccessDenied", Assert.Single(ps.Run("Publish-DockerImage -Name $remote").ErrorIds));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", before);
            Shell.Run("docker", "rmi", remote);
        }
    }
}
