using DockerPS.Client;
using DockerPS.Errors;

namespace DockerPS.Tests;

/// <summary>
/// DockerPS beside another module's copy of one of its dependencies, in real pwsh 7.6.9: its dependencies load in its
/// private load context, so neither order breaks DockerPS or the other copy; the module folder holds what that needs
/// and nothing PowerShell already provides; and a dependency that cannot be loaded is an error that says so.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class AssemblyIsolationTests : IClassFixture<RealPwsh>
{
    private const string Logging = "Microsoft.Extensions.Logging.Abstractions";

    // Loads the other copy as a module would, then uses its own types.
    private const string UseOtherCopy = """
        function Use-OtherCopy {
            Add-Type -LiteralPath $other
            $type = [Microsoft.Extensions.Logging.Abstractions.NullLogger]
            "other-version=$($type.Assembly.GetName().Version)"
            "other-context=$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($type.Assembly) -eq [System.Runtime.Loader.AssemblyLoadContext]::Default)"
            "other-works=$($type::Instance.IsEnabled([Microsoft.Extensions.Logging.LogLevel]::Critical))|$([Microsoft.Extensions.Logging.EventId]::new(7, 'seven').Name)"
        }

        """;

    // A pipeline a user writes: objects of one cmdlet bound to the next, a type literal and a format view.
    private const string RunPipeline = """
        $started = Get-DockerImage -Name $image | New-DockerContainer -Name $name -Label $label -Command sleep, 60 | Start-DockerContainer -PassThru
        "id=$($started.Id)"
        "typed=$($started -is [DockerPS.DockerContainer])"
        "view=$((Get-DockerContainer -Name $name | Format-Table | Out-String) -match [regex]::Escape($name))"
        "module-logging=$([System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.GetType().Name -eq 'ModuleLoadContext' } | ForEach-Object Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Logging.Abstractions' } | ForEach-Object { $_.GetName().Version })"

        """;

    private readonly EngineFixture engine;
    private readonly RealPwsh pwsh;

    public AssemblyIsolationTests(EngineFixture engine, RealPwsh pwsh)
    {
        this.engine = engine;
        this.pwsh = pwsh;
    }

    [Theory]
    [InlineData("6.0.0", "net6.0", true)]
    [InlineData("10.0.15", "net10.0", true)]
    [InlineData("6.0.0", "net6.0", false)]
    [InlineData("10.0.15", "net10.0", false)]
    public void AnotherCopyOfADependency_LoadedBeforeOrAfter_BothWork(string version, string framework, bool otherFirst)
    {
        string name = engine.NewName("isolation");
        string script = UseOtherCopy + (otherFirst
            ? "Use-OtherCopy\nImport-Module $manifest\n" + RunPipeline
            : "Import-Module $manifest\n" + RunPipeline + "Use-OtherCopy\n\"after=$((Get-DockerContainer -Name $name).Id)\"\n");

        var (code, output, errors) = pwsh.Run("$ErrorActionPreference = 'Stop'\n" + script, new Dictionary<string, string>
        {
            ["other"] = pwsh.PackageAssembly(Logging, version, framework),
            ["manifest"] = engine.ModuleManifest,
            ["image"] = EngineFixture.BaseImage,
            ["name"] = name,
            ["label"] = engine.Label,
        });
        Assert.True(code == 0, $"pwsh failed ({code}): {errors}\n{string.Join('\n', output)}");
        var said = output.Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

        // The engine's own account of the container the pipeline made and started.
        string id = Shell.Docker("container", "inspect", "--format", "{{.Id}}", name);
        Assert.Equal(id, said["id"]);
        Assert.Equal("running", EngineFixture.ContainerState(name));
        Assert.Equal("True", said["typed"]);
        Assert.Equal("True", said["view"]);

        // Each copy of the dependency serves its own user: DockerPS its 8.0 in its context, the other module its own.
        Assert.Equal("8.0.0.0", said["module-logging"]);
        Assert.Equal(new Version(version).Major, new Version(said["other-version"]).Major);
        Assert.Equal("True", said["other-context"]);
        Assert.Equal("False|seven", said["other-works"]);
        if (!otherFirst)
        {
            Assert.Equal(id, said["after"]);
        }
    }

    [Fact]
    public void ModuleFolder_HoldsTheIsolation_AndNothingPowerShellProvides()
    {
        string module = Path.GetDirectoryName(engine.ModuleManifest)!;
        string bin = Path.Combine(module, "bin");
        Assert.True(File.Exists(Path.Combine(module, "DockerPS.psm1")));
        Assert.True(File.Exists(Path.Combine(module, "DockerPS.Loader.dll")));
        Assert.Equal(new[] { "DockerPS.Loader.dll" }, Directory.GetFiles(module, "*.dll").Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(bin, "DockerPS.dll")));
        Assert.True(File.Exists(Path.Combine(bin, "Docker.DotNet.dll")));
        Assert.True(File.Exists(Path.Combine(bin, Logging + ".dll")));

        // What real pwsh provides: its own folder and the .NET runtime it runs on.
        var (code, output, errors) = pwsh.Run("$PSHOME; [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()", new Dictionary<string, string>());
        Assert.True(code == 0, errors);
        var provided = output.SelectMany(dir => Directory.GetFiles(dir, "*.dll")).Select(Path.GetFileName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains("System.Management.Automation.dll", provided);
        Assert.Contains("System.Text.Json.dll", provided);

        var everything = Directory.GetFiles(module, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.DoesNotContain(everything, f => f!.StartsWith("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
            || f.StartsWith("Microsoft.PowerShell.", StringComparison.OrdinalIgnoreCase));
        Assert.All(Directory.GetFiles(bin, "*.dll").Select(Path.GetFileName), f => Assert.DoesNotContain(f, provided));

        // bin/compat holds only what Windows PowerShell 5.1 lacks and pwsh has; pwsh 7.6.9 takes none of it.
        Assert.All(Directory.GetFiles(Path.Combine(bin, "compat"), "*.dll").Select(Path.GetFileName), f => Assert.Contains(f, provided));
        var (usedCode, used, usedErrors) = pwsh.Run("""
            $ErrorActionPreference = 'Stop'
            Import-Module $manifest
            $null = Get-DockerImage
            foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) {
                if (-not $a.IsDynamic -and $a.Location.StartsWith($module)) {
                    "$([System.IO.Path]::GetRelativePath($module, $a.Location))|$([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).GetType().Name)"
                }
            }
            """, new Dictionary<string, string> { ["manifest"] = engine.ModuleManifest, ["module"] = module });
        Assert.True(usedCode == 0, usedErrors);
        Assert.Contains("DockerPS.Loader.dll|DefaultAssemblyLoadContext", used);
        Assert.Contains(Path.Combine("bin", "DockerPS.dll") + "|ModuleLoadContext", used);
        Assert.Contains(Path.Combine("bin", "Docker.DotNet.dll") + "|ModuleLoadContext", used);
        Assert.All(used.Where(l => !l.StartsWith("DockerPS.Loader.dll", StringComparison.Ordinal)), l =>
        {
            Assert.StartsWith("bin" + Path.DirectorySeparatorChar, l, StringComparison.Ordinal);
            Assert.DoesNotContain("compat", l, StringComparison.Ordinal);
            Assert.EndsWith("|ModuleLoadContext", l, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("damaged")]
    public void ADependencyThatCannotBeLoaded_IsAnErrorThatNamesIt_NotAnEngineThatDidNotAnswer(string how)
    {
        // A copy of the module with one dependency missing or not an assembly at all.
        string copy = Path.Combine(engine.WorkDir, "module-" + how + "-" + Guid.NewGuid().ToString("N")[..6], "DockerPS");
        CopyFolder(Path.GetDirectoryName(engine.ModuleManifest)!, copy);
        string broken = how == "missing" ? Logging : "Docker.DotNet.Unix";
        string file = Path.Combine(copy, "bin", broken + ".dll");
        string version = System.Reflection.AssemblyName.GetAssemblyName(file).Version!.ToString();
        if (how == "missing")
        {
            File.Delete(file);
        }
        else
        {
            File.WriteAllBytes(file, new byte[4096]);
        }

        var (code, output, errors) = pwsh.Run("""
            Import-Module $manifest -ErrorAction Stop
            try { Get-DockerImage -ErrorAction Stop; 'no error' }
            catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category; $_.TargetObject; $_.Exception.Message }
            """, new Dictionary<string, string> { ["manifest"] = Path.Combine(copy, "DockerPS.psd1") });
        Assert.True(code == 0, errors);
        Assert.Equal("DockerPSAssemblyLoadFailed,DockerPS.Cmdlets.Image.GetDockerImageCommand", output[0]);
        Assert.Equal("ResourceUnavailable", output[1]);
        Assert.StartsWith($"{broken}, Version={version}", output[2], StringComparison.Ordinal);
        string message = string.Join(' ', output.Skip(3));
        Assert.Contains($"could not load the assembly {broken}, version {version}", message, StringComparison.Ordinal);
        Assert.Contains($"it looked in {Path.Combine(copy, "bin")}", message, StringComparison.Ordinal);
        Assert.Contains(how == "missing" ? $"there is no {broken}.dll there" : $"{file} is there but could not be loaded", message, StringComparison.Ordinal);

        // The engine was fine all along.
        Assert.True(Shell.DockerSucceeds("version"));
    }

    [Fact]
    public void OnlyATransportFailure_IsAnEngineThatCannotBeReached()
    {
        const string host = "unix:///var/run/docker.sock";

        // A bug, or an assembly that did not load, keeps its own cause.
        var bug = ErrorMapper.ConnectionFailure(new InvalidOperationException("a bug of ours"), host);
        Assert.NotEqual(ErrorIds.HostUnreachable, bug.ErrorId);
        Assert.Contains("a bug of ours", bug.Message, StringComparison.Ordinal);
        var notLoaded = ErrorMapper.ConnectionFailure(
            new FileNotFoundException("Could not load file or assembly", "Docker.DotNet.Unix, Version=4.3.0.0, Culture=neutral, PublicKeyToken=e628c633e2cf4146"), host);
        Assert.Equal(ErrorIds.AssemblyLoadFailed, notLoaded.ErrorId);

        // A file of the user's that is missing is not an assembly of the module.
        Assert.NotEqual(ErrorIds.AssemblyLoadFailed, ErrorMapper.ToDockerPSException(new FileNotFoundException("missing", "/tmp/images.tar"), "/tmp/images.tar", ResourceKind.Image).ErrorId);

        // The socket still tells an engine that does not listen.
        var refused = ErrorMapper.ConnectionFailure(new HttpRequestException("refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)), host);
        Assert.Equal(ErrorIds.HostUnreachable, refused.ErrorId);
        Assert.StartsWith("Nothing accepts connections", refused.Message, StringComparison.Ordinal);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (string folder in Directory.GetDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
