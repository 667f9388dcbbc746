using System.Management.Automation;
using System.Text.RegularExpressions;

namespace DockerPS.Tests;

/// <summary>
/// Networks against the real engine. Every network is a local bridge in 10.213.0.0/16, which has no route off the
/// machine; containers only ever reach each other and the engine's own gateways.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class NetworkTests
{
    private static int nextSubnet = Random.Shared.Next(0, 200);
    private readonly EngineFixture engine;

    public NetworkTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void TwoContainersOnANewBridge_ReachEachOtherByNameAndAlias_AndDisconnectCutsIt()
    {
        engine.EnsureBaseImage();
        string prefix = NewPrefix();
        string network = engine.NewName("net");
        string a = engine.NewName("a");
        string b = engine.NewName("b");
        using var ps = new PsSession(engine);
        ps.Set("n", network);
        ps.Set("a", a);
        ps.Set("b", b);
        ps.Set("prefix", prefix);

        var created = ps.Run("New-DockerNetwork -Name $n -Subnet \"$prefix.0/24\" -Gateway \"$prefix.1\" -IPRange \"$prefix.128/25\" -Label $label -Option @{ 'com.docker.network.driver.mtu' = '1400' }");
        created.AssertNoErrors();
        var made = Assert.Single(created.Objects<DockerNetwork>());
        Assert.Equal("bridge", made.Driver);
        Assert.False(made.Internal);
        var subnet = Assert.Single(made.Subnets);
        Assert.Equal($"{prefix}.0/24", subnet.Subnet);
        Assert.Equal($"{prefix}.1", subnet.Gateway);
        Assert.Equal($"{prefix}.128/25", subnet.IPRange);
        Assert.Equal("1400", made.Options["com.docker.network.driver.mtu"]);
        Assert.Equal(engine.RunId, made.Labels[EngineFixture.LabelKey]);
        Assert.Equal("1400", Shell.Docker("network", "inspect", "--format", "{{index .Options \"com.docker.network.driver.mtu\"}}", network));

        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $a -Network $n -Label $label -Command sleep, 300 | Start-DockerContainer").AssertNoErrors();
        ps.Run("New-DockerContainer -Image dockerps-test/busybox -Name $b -Label $label -Command sleep, 300 | Start-DockerContainer").AssertNoErrors();
        Assert.NotEqual(0, Ping(a, b));

        var connected = ps.Run("Get-DockerContainer -Name $b | Connect-DockerNetwork -Network $n -Alias db, store -IPAddress \"$prefix.50\" -PassThru");
        connected.AssertNoErrors();
        Assert.Contains(network, Assert.Single(connected.Objects<DockerContainer>()).Networks);
        Assert.Equal($"{prefix}.50", Shell.Docker("container", "inspect", "--format", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", b));
        Assert.Equal(0, Ping(a, b));
        Assert.Equal(0, Ping(a, "db"));
        Assert.Equal(0, Ping(a, "store"));
        Assert.Equal(0, Ping(b, a));

        var listed = Assert.Single(ps.Run("Get-DockerNetwork -Name $n").Objects<DockerNetwork>());
        Assert.Equal(new[] { a, b }.OrderBy(x => x, StringComparer.Ordinal), listed.Containers);
        Assert.Equal($"{prefix}.50/24", listed.Endpoints.Single(e => e.Container == b).IPv4Address);
        string fromRange = listed.Endpoints.Single(e => e.Container == a).IPv4Address!;
        Assert.StartsWith(prefix + ".", fromRange, StringComparison.Ordinal);
        Assert.True(int.Parse(fromRange.Split('/')[0].Split('.')[3], System.Globalization.CultureInfo.InvariantCulture) >= 128, $"{fromRange} is inside -IPRange");

        ps.Run("Disconnect-DockerNetwork -Network $n -Container $b").AssertNoErrors();
        Assert.NotEqual(0, Ping(a, b));
        Assert.NotEqual(0, Ping(a, "db"));
        Assert.Equal(new[] { a }, Assert.Single(ps.Run("Get-DockerNetwork -Name $n").Objects<DockerNetwork>()).Containers);
        Assert.DoesNotContain(network, Shell.Docker("container", "inspect", "--format", "{{json .NetworkSettings.Networks}}", b), StringComparison.Ordinal);
    }

    [Fact]
    public void InternalNetwork_HasNoWayOut_WhileAnOrdinaryOneHas()
    {
        engine.EnsureBaseImage();
        string internalPrefix = NewPrefix();
        string otherPrefix = NewPrefix();
        string closed = engine.NewName("internal");
        string open = engine.NewName("open");
        string inside = engine.NewName("inside");
        string peer = engine.NewName("peer");
        string outside = engine.NewName("outside");
        using var ps = new PsSession(engine);
        ps.Set("closed", closed);
        ps.Set("open", open);
        ps.Set("ip", internalPrefix);
        ps.Set("op", otherPrefix);
        var made = ps.Run("New-DockerNetwork $closed -Internal -Subnet \"$ip.0/24\" -Label $label; New-DockerNetwork $open -Subnet \"$op.0/24\" -Label $label");
        made.AssertNoErrors();
        var networks = made.Objects<DockerNetwork>().ToList();
        DockerNetwork closedNetwork = networks.Single(n => n.Name == closed);
        DockerNetwork openNetwork = networks.Single(n => n.Name == open);
        Assert.True(closedNetwork.Internal);
        Assert.False(openNetwork.Internal);
        Assert.Equal("true", Shell.Docker("network", "inspect", "--format", "{{.Internal}}", closed));

        foreach (var (name, network) in new[] { (inside, closed), (peer, closed), (outside, open) })
        {
            Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, "--network", network, EngineFixture.BaseImage, "sleep", "300");
        }

        string outsideAddress = Shell.Docker("container", "inspect", "--format", $"{{{{(index .NetworkSettings.Networks \"{open}\").IPAddress}}}}", outside);
        Assert.Equal(0, Ping(inside, peer));
        Assert.NotEqual(0, Ping(inside, outsideAddress));

        // The engine's firewall drops whatever leaves the internal bridge for an address outside its subnet, and lets
        // nothing out of it; the ordinary bridge's traffic out is accepted.
        string closedBridge = "br-" + closedNetwork.ShortId;
        string openBridge = "br-" + openNetwork.ShortId;
        string rules = Shell.Run("iptables", "-S").StdOut;
        Assert.Contains($"-A DOCKER-ISOLATION-STAGE-1 ! -d {internalPrefix}.0/24 -i {closedBridge} -j DROP", rules, StringComparison.Ordinal);
        Assert.DoesNotContain($"-A FORWARD -i {closedBridge} ! -o {closedBridge} -j ACCEPT", rules, StringComparison.Ordinal);
        Assert.Contains($"-A FORWARD -i {openBridge} ! -o {openBridge} -j ACCEPT", rules, StringComparison.Ordinal);
        Assert.DoesNotContain($"! -d {otherPrefix}.0/24 -i {openBridge} -j DROP", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void ClearDockerNetwork_WhatIfListsTheUnusedOnes_AndThePruneReports()
    {
        engine.EnsureBaseImage();
        string only = $"dockerps.test.clear={Guid.NewGuid():N}";
        string unused = engine.NewName("unused");
        string used = engine.NewName("used");
        Shell.Docker("network", "create", "--label", engine.Label, "--label", only, "--subnet", NewPrefix() + ".0/24", unused);
        Shell.Docker("network", "create", "--label", engine.Label, "--label", only, "--subnet", NewPrefix() + ".0/24", used);
        Shell.Docker("run", "-d", "--name", engine.NewName("user"), "--label", engine.Label, "--network", used, EngineFixture.BaseImage, "sleep", "300");

        using var ps = new PsSession(engine);
        ps.Set("only", only);
        var preview = ps.Run("Clear-DockerNetwork -Label $only -WhatIf");
        preview.AssertNoErrors();
        Assert.Empty(preview.Output);
        string rendered = ps.Rendered;
        Assert.Contains($"on target \"{unused} (", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain(used, rendered, StringComparison.Ordinal);
        Assert.Contains("\"1 network(s) with no container connected on ", rendered, StringComparison.Ordinal);
        Assert.True(Shell.DockerSucceeds("network", "inspect", unused), "-WhatIf removed nothing");

        var pruned = ps.Run("Clear-DockerNetwork -Label $only -Force");
        pruned.AssertNoErrors();
        var report = Assert.Single(pruned.Objects<DockerPruneResult>());
        Assert.Equal("Network", report.Kind);
        Assert.Equal(new[] { unused }, report.Deleted);
        Assert.False(Shell.DockerSucceeds("network", "inspect", unused));
        Assert.True(Shell.DockerSucceeds("network", "inspect", used), "the network a running container uses stayed");
    }

    [Fact]
    public void BadInput_EachErrorHasItsIdCategoryAndTarget_AndNothingIsLost()
    {
        engine.EnsureBaseImage();
        string prefix = NewPrefix();
        string network = engine.NewName("taken");
        string member = engine.NewName("member");
        string loner = engine.NewName("loner");
        Shell.Docker("network", "create", "--label", engine.Label, "--subnet", prefix + ".0/24", network);
        Shell.Docker("run", "-d", "--name", member, "--label", engine.Label, "--network", network, EngineFixture.BaseImage, "sleep", "300");
        Shell.Docker("run", "-d", "--name", loner, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", network);
        ps.Set("m", member);
        ps.Set("l", loner);
        ps.Set("prefix", prefix);
        const string missing = "dockerps-test-no-such-network";

        AssertError(ps.Run($"Get-DockerNetwork -Name {missing}"), "NetworkNotFound", ErrorCategory.ObjectNotFound, missing);

        string overlapping = engine.NewName("overlap");
        ps.Set("o", overlapping);
        AssertError(ps.Run("New-DockerNetwork -Name $o -Subnet \"$prefix.128/25\" -Label $label"), "SubnetOverlap", ErrorCategory.InvalidArgument, overlapping);
        Assert.False(Shell.DockerSucceeds("network", "inspect", overlapping));
        AssertError(ps.Run("New-DockerNetwork -Name $o -Subnet 10.213.0.0/24, 10.213.0.0/25 -Label $label"), "SubnetOverlap", ErrorCategory.InvalidArgument, "10.213.0.0/25");
        AssertError(ps.Run("New-DockerNetwork -Name $n -Label $label"), "NetworkExists", ErrorCategory.ResourceExists, network);
        Assert.Single(Shell.Docker("network", "ls", "-q", "--filter", $"name=^{network}$").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        AssertError(ps.Run("New-DockerNetwork -Name $o -Subnet 10.213.300.0/24"), "InvalidNetworkAddress", ErrorCategory.InvalidArgument, "10.213.300.0/24");
        AssertError(ps.Run("New-DockerNetwork -Name $o -Subnet 10.213.9.0/24 -Gateway 10.213.10.1"), "InvalidNetworkAddress", ErrorCategory.InvalidArgument, "10.213.10.1");
        Assert.False(Shell.DockerSucceeds("network", "inspect", overlapping));

        var inUse = ps.Run("Remove-DockerNetwork -Name $n -Force");
        var inUseError = AssertError(inUse, "NetworkInUse", ErrorCategory.ResourceUnavailable, network);
        Assert.Contains(member, inUseError.Exception.Message, StringComparison.Ordinal);
        Assert.True(Shell.DockerSucceeds("network", "inspect", network), "a network with containers stays");

        string doomed = engine.NewName("doomed");
        Shell.Docker("network", "create", "--label", engine.Label, doomed);
        ps.Set("d", doomed);
        AssertError(ps.Run($"Remove-DockerNetwork -Name {missing}, $d -Force"), "NetworkNotFound", ErrorCategory.ObjectNotFound, missing);
        Assert.False(Shell.DockerSucceeds("network", "inspect", doomed), "the next network was still removed");
        AssertError(ps.Run("Remove-DockerNetwork -Name bridge -Force"), "NetworkPredefined", ErrorCategory.InvalidOperation, "bridge");

        AssertError(ps.Run($"Connect-DockerNetwork -Network {missing} -Container $l"), "NetworkNotFound", ErrorCategory.ObjectNotFound, missing);
        AssertError(ps.Run("Connect-DockerNetwork -Network $n -Container dockerps-test-no-such-container"), "ContainerNotFound", ErrorCategory.ObjectNotFound, "dockerps-test-no-such-container");
        AssertError(ps.Run("Connect-DockerNetwork -Network $n -Container $m"), "ContainerAlreadyConnected", ErrorCategory.ResourceExists, member);
        AssertError(ps.Run("Connect-DockerNetwork -Network $n -Container $l -IPAddress 10.213.254.254"), "InvalidNetworkAddress", ErrorCategory.InvalidArgument, "10.213.254.254");
        AssertError(ps.Run("Connect-DockerNetwork -Network $n -Container $l -IPAddress not-an-address"), "InvalidNetworkAddress", ErrorCategory.InvalidArgument, "not-an-address");
        AssertError(ps.Run("Disconnect-DockerNetwork -Network $n -Container $l"), "ContainerNotConnected", ErrorCategory.InvalidOperation, loner);
        Assert.DoesNotContain(loner, Assert.Single(ps.Run("Get-DockerNetwork -Name $n").Objects<DockerNetwork>()).Containers);
    }

    [Fact]
    public void FormatViewsAndTabCompletion_ForVolumesAndNetworks()
    {
        engine.EnsureBaseImage();
        string volume = engine.NewName("fmtvol");
        string network = engine.NewName("fmtnet");
        string user = engine.NewName("fmtuser");
        string prefix = NewPrefix();
        Shell.Docker("volume", "create", "--label", engine.Label, volume);
        Shell.Docker("network", "create", "--label", engine.Label, "--subnet", prefix + ".0/24", network);
        Shell.Docker("run", "-d", "--name", user, "--label", engine.Label, "--network", network, "-v", $"{volume}:/data", EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine, width: 200);
        ps.Set("v", volume);
        ps.Set("n", network);

        ps.Run("Get-DockerVolume -Name $v | Out-Default").AssertNoErrors();
        string volumes = ps.Rendered;
        Assert.Matches(@"DRIVER\s+VOLUME NAME\s+CREATED\s+USED BY", volumes);
        Assert.Matches($@"local\s+{volume}\s+(\d+ seconds?|Less than a second|About a minute) ago\s+{user}", volumes);

        ps.Run("Get-DockerNetwork -Name $n | Out-Default").AssertNoErrors();
        string networks = ps.Rendered[volumes.Length..];
        Assert.Matches(@"NETWORK ID\s+NAME\s+DRIVER\s+SCOPE\s+SUBNET\s+INTERNAL\s+CONTAINERS", networks);
        string id = Shell.Docker("network", "inspect", "--format", "{{.Id}}", network)[..12];
        Assert.Matches($@"{id}\s+{network}\s+bridge\s+local\s+{Regex.Escape(prefix)}\.0/24\s+{user}", networks);

        Assert.Equal(new[] { volume }, Complete(ps, $"Remove-DockerVolume -Name {volume[..^3]}"));
        Assert.Equal(new[] { volume }, Complete(ps, $"Backup-DockerVolume {volume[..^3]}"));
        Assert.Equal(new[] { network }, Complete(ps, $"Connect-DockerNetwork -Network {network[..^3]}"));
        Assert.Equal(new[] { network }, Complete(ps, $"Get-DockerNetwork {network[..^3]}"));
    }

    /// <summary>A /24 prefix such as "10.213.17" that no other network of this run uses.</summary>
    private static string NewPrefix() => $"10.213.{1 + (Interlocked.Increment(ref nextSubnet) % 250)}";

    private static List<string> Complete(PsSession ps, string input)
    {
        using var powershell = PowerShell.Create();
        powershell.Runspace = ps.Runspace;
        CommandCompletion completion = CommandCompletion.CompleteInput(input, input.Length, null, powershell);
        return completion.CompletionMatches.Select(m => m.CompletionText).ToList();
    }

    /// <summary>Pings once from a container, by name or address; the exit code.</summary>
    private static int Ping(string from, string to) => Shell.Run("docker", "exec", from, "ping", "-c1", "-W1", to).ExitCode;

    private static ErrorRecord AssertError(PsSession.Result result, string id, ErrorCategory category, object target)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(id, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Equal(target, error.TargetObject);
        return error;
    }
}
