using System.Text;
using System.Text.RegularExpressions;
using DockerPS.Archives;
using DockerPS.Errors;
using DockerIgnore = DockerPS.Archives.BuildContext.DockerIgnore;

namespace DockerPS.Tests;

/// <summary>
/// The build-context packer on its own: .dockerignore semantics, and tar streams checked by the system tar.
/// No engine needed, so no collection: these run in parallel with nothing to share.
/// </summary>
public sealed class BuildContextTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "dockerps-buildcontext-" + Guid.NewGuid().ToString("N"));

    public BuildContextTests() => Directory.CreateDirectory(root);

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, true);
        }
    }

    // Cases from the .dockerignore documentation, then the finer points of the CLI's matcher.
    [Theory]
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "somedir/temp", true)]
    [InlineData("*/temp*", "somedir/temp/inside.txt", true)]
    [InlineData("*/temp*", "temporary.txt", false)]
    [InlineData("*/temp*", "a/b/temporary.txt", false)]
    [InlineData("*/*/temp*", "somedir/subdir/temporary.txt", true)]
    [InlineData("*/*/temp*", "somedir/temporary.txt", false)]
    [InlineData("temp?", "tempa", true)]
    [InlineData("temp?", "tempb", true)]
    [InlineData("temp?", "temp", false)]
    [InlineData("temp?", "tempab", false)]
    [InlineData("temp?", "dir/tempa", false)]
    [InlineData("temp?", "temp/", false)]
    [InlineData("**/*.go", "main.go", true)]
    [InlineData("**/*.go", "a/b/c.go", true)]
    [InlineData("**/*.go", "a/b/c.go.txt", false)]
    [InlineData("**/*.go", "go", false)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "CHANGELOG.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README.md", false)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README-dev.md", false)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md", "docs/guide.md", false)]
    [InlineData("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", false)]
    [InlineData("*.md\nREADME-secret.md\n!README*.md", "CHANGELOG.md", true)]
    [InlineData("*.md\n!README.md", "README.md", false)]
    [InlineData("*.md\n!README.md", "NOTES.md", true)]
    [InlineData("!README.md\n*.md", "README.md", true)]
    [InlineData("node_modules", "node_modules", true)]
    [InlineData("node_modules", "node_modules/pkg/index.js", true)]
    [InlineData("node_modules", "src/node_modules", false)]
    [InlineData("node_modules", "node_modules_old", false)]
    [InlineData("build/", "build/out.bin", true)]
    [InlineData("docs\n!docs/keep.md", "docs", true)]
    [InlineData("docs\n!docs/keep.md", "docs/keep.md", false)]
    [InlineData("docs\n!docs/keep.md", "docs/other.md", true)]
    [InlineData("a\n!a/b/c.txt\na*", "a/b/c.txt", false)] // "a*" was not evaluated for folder "a", so it does not count below it
    [InlineData("a\n!a/b/c.txt\na*", "a/b/d.txt", true)]
    [InlineData("a\n!a/b/c.txt\na*", "a", true)]
    [InlineData("/secret", "secret", true)]
    [InlineData("/secret", "secret/key.pem", true)]
    [InlineData("/secret", "a/secret", false)]
    [InlineData("./x", "x", true)]
    [InlineData("./x", "x/y", true)]
    [InlineData("a/../b", "b", true)]
    [InlineData("a//b/", "a/b", true)]
    [InlineData("!./keep\n*\n!keep", "keep", false)]
    [InlineData("# comment\n#*.txt\nfoo", "# comment", false)]
    [InlineData("# comment\n#*.txt\nfoo", "a.txt", false)]
    [InlineData("# comment\n#*.txt\nfoo", "foo", true)]
    [InlineData(" #not-a-comment", "#not-a-comment", true)]
    [InlineData("\n   \n\t spaced.txt  \n", "spaced.txt", true)]
    [InlineData("a.txt\r\nb.txt\r\n", "b.txt", true)]
    [InlineData("\uFEFFfoo", "foo", true)]
    [InlineData("**", "any/thing", true)]
    [InlineData("foo/**", "foo", false)]
    [InlineData("foo/**", "foo/x", true)]
    [InlineData("foo/**", "foo/x/y", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/xb", false)]
    [InlineData("**/foo", "foo", true)]
    [InlineData("**/foo", "x/y/foo", true)]
    [InlineData("**/foo", "x/barfoo", false)]
    [InlineData("**/foo", "foo/bar", true)]
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[0-9].txt", "filea.txt", false)]
    [InlineData("[^a]bc", "xbc", true)]
    [InlineData("[^a]bc", "abc", false)]
    [InlineData("a.c", "abc", false)]
    [InlineData("a+(b)", "a+(b)", true)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("?.txt", "\U0001F600.txt", true)]
    public void Pattern_DecidesAsTheCliDoes(string ignore, string path, bool excluded)
    {
        DockerIgnore rules = DockerIgnore.Parse(ignore, backslashIsSeparator: false);
        Assert.Equal(excluded, rules.IsExcluded(path));
    }

    [Fact]
    public void Patterns_AreTrimmedAndCleaned_AndLeadingSlashDropped()
    {
        DockerIgnore rules = DockerIgnore.Parse("./x\n/y/\n!./z/../w\n  a//b  \n! c \n# gone\n\n", backslashIsSeparator: false);
        Assert.Equal(new[] { "x", "y", "!w", "a/b", "!c" }, rules.Patterns);
        Assert.True(rules.HasExclusions);
    }

    [Fact]
    public void Backslash_SeparatesFolders_OnlyWithWindowsRules()
    {
        Assert.True(DockerIgnore.Parse("a\\b", backslashIsSeparator: true).IsExcluded("a/b/c"));
        Assert.False(DockerIgnore.Parse("a\\b", backslashIsSeparator: false).IsExcluded("a/b"));
        Assert.True(DockerIgnore.Parse("a\\b", backslashIsSeparator: false).IsExcluded("ab"));
    }

    [Theory]
    [InlineData("[")]
    [InlineData("a[b")]
    [InlineData("[]")]
    [InlineData("[a-]")]
    [InlineData("[z-a]")]
    [InlineData("abc\\")]
    [InlineData("!")]
    [InlineData("! ")]
    [InlineData("!/")]
    public void MalformedPattern_IsAFormatException(string ignore)
    {
        Assert.Throws<FormatException>(() => DockerIgnore.Parse(ignore, backslashIsSeparator: false));
    }

    [Fact]
    public void ExcludedFolder_IsEnteredOnlyWhenANegationNamesSomethingInside()
    {
        DockerIgnore rules = DockerIgnore.Parse("docs\nvendor\n!docs/keep.md\n!**/*.go", backslashIsSeparator: false);
        Assert.True(rules.MayHaveIncludedChildren("docs"));
        Assert.False(rules.MayHaveIncludedChildren("vendor"));
        Assert.False(rules.MayHaveIncludedChildren("doc"));
        Assert.False(DockerIgnore.Parse("docs", backslashIsSeparator: false).MayHaveIncludedChildren("docs"));
    }

    [Fact]
    public void Empty_ExcludesNothing()
    {
        Assert.False(DockerIgnore.Parse(null).IsExcluded("anything"));
        Assert.Null(BuildContext.ReadDockerIgnore(root));
    }

    [Fact]
    public async Task RoundTrip_ThroughTheSystemTar_KeepsContentModesAndLinks_AndDropsIgnoredFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Modes, symlinks and fifos as checked here are Unix notions.
        }

        string ctx = Path.Combine(root, "ctx");
        string longDir = "long/" + new string('d', 60) + "/" + new string('e', 60);
        string name100 = "n/" + new string('x', 98);
        string name101 = "n/" + new string('y', 99);
        string unicode = "données/café ünïcødé 日本.txt";
        string danglingTarget = "nowhere/" + new string('z', 120);
        var big = new byte[(3 * 1024 * 1024) + 123];
        new Random(42).NextBytes(big);

        Write(ctx, "Dockerfile", "FROM scratch\nCOPY . /\n");
        Write(ctx, ".dockerignore", "# left out of the context\n*.log\n**/*.tmp\nnode_modules\nsecret\n!secret/allowed.txt\nDockerfile\n.dockerignore\n");
        Write(ctx, "src/app.sh", "#!/bin/sh\necho hi\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Write(ctx, "src/private.txt", "mine", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Write(ctx, "src/readme.txt", "read me", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Write(ctx, "src/lib/empty.txt", string.Empty);
        File.WriteAllBytes(Path.Combine(ctx, "src/lib/data.bin"), big);
        Write(ctx, longDir + "/file.txt", "deep");
        Write(ctx, name100, "exactly one hundred");
        Write(ctx, name101, "one hundred and one");
        Write(ctx, unicode, "non-ASCII name");
        Write(ctx, "keep.log.txt", "not a .log");
        Write(ctx, "debug.log", "ignored");
        Write(ctx, "src/x.tmp", "ignored");
        Write(ctx, "node_modules/pkg/index.js", "ignored");
        Write(ctx, "secret/key.pem", "ignored");
        Write(ctx, "secret/allowed.txt", "brought back");
        Directory.CreateDirectory(Path.Combine(ctx, "emptydir"));
        File.CreateSymbolicLink(Path.Combine(ctx, "link-to-app"), "src/app.sh");
        File.CreateSymbolicLink(Path.Combine(ctx, "link-to-dir"), "src");
        File.CreateSymbolicLink(Path.Combine(ctx, "dangling"), danglingTarget);
        Assert.Equal(0, Shell.Run("mkfifo", "-m", "640", Path.Combine(ctx, "pipe")).ExitCode);
        var fixedTime = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(ctx, "src/readme.txt"), fixedTime.AddMilliseconds(700));

        string tar = Path.Combine(root, "context.tar");
        var reported = new List<long>();
        long total;
        using (var output = new FileStream(tar, FileMode.CreateNew))
        {
            // The fifo must be sent as a pipe entry, never opened (that would block): the timeout turns a hang into a failure.
            total = await BuildContext.WriteTarAsync(ctx, "Dockerfile", output, reported.Add, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        }

        byte[] packed = File.ReadAllBytes(tar);
        Assert.Equal(packed.Length, total);
        Assert.Equal(0, total % 512);
        Assert.All(packed.Skip(packed.Length - 1024), b => Assert.Equal(0, b));
        Assert.NotEmpty(reported);
        Assert.Equal(total, reported[^1]);
        Assert.Equal(reported.OrderBy(r => r), reported);

        string[] expected =
        {
            ".dockerignore",
            "Dockerfile",
            "dangling",
            "données/",
            unicode,
            "emptydir/",
            "keep.log.txt",
            "link-to-app",
            "link-to-dir",
            "long/",
            "long/" + new string('d', 60) + "/",
            longDir + "/",
            longDir + "/file.txt",
            "n/",
            name100,
            name101,
            "pipe",
            "secret/allowed.txt",
            "src/",
            "src/app.sh",
            "src/lib/",
            "src/lib/data.bin",
            "src/lib/empty.txt",
            "src/private.txt",
            "src/readme.txt",
        };

        // The system tar lists it without complaint, in walk order, owned by 0:0, with the file system's modes.
        var (code, listing, errors) = Shell.Run("tar", "--numeric-owner", "--quoting-style=literal", "-tvf", tar);
        Assert.True(code == 0 && errors.Length == 0, $"tar -tvf failed ({code}): {errors}");
        var entries = listing.Split('\n').Select(ParseListing).ToList();
        Assert.Equal(expected, entries.Select(e => e.Name));
        foreach (var entry in entries)
        {
            Assert.Equal("0/0", entry.Owner);
            string source = Path.Combine(ctx, entry.Name.TrimEnd('/'));
            if (entry.Perms[0] == 'l')
            {
                Assert.Equal("lrwxrwxrwx", entry.Perms);
                Assert.Equal(new FileInfo(source).LinkTarget, entry.Target);
            }
            else
            {
                char type = entry.Name.EndsWith('/') ? 'd' : entry.Name == "pipe" ? 'p' : '-';
                Assert.Equal(ModeString(type, File.GetUnixFileMode(source)), entry.Perms);
            }
        }

        // Headers: ustar throughout, PAX only for what the ustar fields cannot hold.
        var headers = RawHeaders(packed);
        Assert.All(headers, h => Assert.True(h.Ustar, $"{h.Name} has no ustar magic"));
        Assert.Contains(headers, h => h.Type == '0' && h.Name == name100);
        var paxed = headers.Where((h, i) => i > 0 && headers[i - 1].Type == 'x').Select(h => h.Name).ToList();
        Assert.Equal(6, headers.Count(h => h.Type == 'x')); // two non-ASCII names, two long paths, the 101-byte name, the long link target
        Assert.Equal(6, paxed.Count);
        Assert.Contains("dangling", paxed);
        Assert.Contains(name101.Substring(0, 100), paxed);
        Assert.DoesNotContain(name100, paxed);

        // Extracted again, everything is byte for byte what was packed, and nothing else is there.
        string extracted = Path.Combine(root, "extracted");
        Directory.CreateDirectory(extracted);
        var (xcode, _, xerrors) = Shell.Run("tar", "-xpf", tar, "-C", extracted);
        Assert.True(xcode == 0, $"tar -xf failed ({xcode}): {xerrors}");
        // "secret" comes back only as the parent of the file brought back: its own entry was excluded.
        Assert.Equal(
            expected.Select(e => e.TrimEnd('/')).Append("secret").Order(StringComparer.Ordinal),
            AllEntries(extracted).Order(StringComparer.Ordinal));
        foreach (string name in expected)
        {
            string from = Path.Combine(ctx, name.TrimEnd('/'));
            string to = Path.Combine(extracted, name.TrimEnd('/'));
            var info = new FileInfo(to);
            if (info.LinkTarget != null)
            {
                Assert.Equal(new FileInfo(from).LinkTarget, info.LinkTarget);
                continue;
            }

            Assert.Equal(File.GetUnixFileMode(from), File.GetUnixFileMode(to));
            if (!name.EndsWith('/') && name != "pipe")
            {
                Assert.True(File.ReadAllBytes(from).SequenceEqual(File.ReadAllBytes(to)), $"{name} differs after the round trip");
            }
        }

        Assert.Equal(fixedTime, File.GetLastWriteTimeUtc(Path.Combine(extracted, "src/readme.txt")));
        Assert.Equal(danglingTarget, new FileInfo(Path.Combine(extracted, "dangling")).LinkTarget);

        // Same folder, same bytes.
        using var again = new MemoryStream();
        await BuildContext.WriteTarAsync(ctx, "Dockerfile", again, null, CancellationToken.None);
        Assert.True(packed.SequenceEqual(again.ToArray()), "a second pack of the same folder differs");
    }

    [Fact]
    public async Task Dockerfile_InAnExcludedFolder_IsStillSent_AloneFromThatFolder()
    {
        string ctx = Path.Combine(root, "ctx");
        Write(ctx, "build/Dockerfile", "FROM scratch\n");
        Write(ctx, "build/other.txt", "x");
        Write(ctx, "build/sub/deeper.txt", "x");
        Write(ctx, "app.txt", "x");
        Write(ctx, ".dockerignore", "build\n");

        Assert.Equal(new[] { ".dockerignore", "app.txt", "build/Dockerfile" }, await NamesAsync(ctx, "build/Dockerfile"));
        Assert.Equal(new[] { ".dockerignore", "app.txt" }, await NamesAsync(ctx, "Dockerfile"));
    }

    [Fact]
    public async Task NegatedPattern_BringsBackAFileInsideAnExcludedFolder_WithoutThatFolder()
    {
        string ctx = Path.Combine(root, "ctx");
        Write(ctx, "Dockerfile", "FROM scratch\n");
        Write(ctx, "docs/keep.md", "x");
        Write(ctx, "docs/drop.md", "x");
        Write(ctx, "vendor/a.go", "x");
        Write(ctx, ".dockerignore", "docs\nvendor\n!docs/keep.md\n!**/*.go\n");

        // Like the CLI, "!**/*.go" does not reopen "vendor": only negations naming a path inside it do.
        Assert.Equal(new[] { ".dockerignore", "Dockerfile", "docs/keep.md" }, await NamesAsync(ctx, "Dockerfile"));
    }

    [Fact]
    public async Task NoDockerIgnore_SendsEverything()
    {
        string ctx = Path.Combine(root, "ctx");
        Write(ctx, "Dockerfile", "FROM scratch\n");
        Write(ctx, "b/c.txt", "x");
        Write(ctx, "a.txt", "x");

        Assert.Equal(new[] { "Dockerfile", "a.txt", "b/", "b/c.txt" }, await NamesAsync(ctx, "Dockerfile"));
    }

    [Fact]
    public async Task MalformedDockerIgnore_IsABuildError()
    {
        string ctx = Path.Combine(root, "ctx");
        Write(ctx, "Dockerfile", "FROM scratch\n");
        Write(ctx, ".dockerignore", "ok\n[broken\n");

        var error = await Assert.ThrowsAsync<DockerPSException>(() => BuildContext.WriteTarAsync(ctx, "Dockerfile", Stream.Null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.ImageBuildFailed, error.ErrorId);
        Assert.Contains("[broken", error.Message);
    }

    [Fact]
    public async Task CancelledToken_StopsBeforeWriting()
    {
        string ctx = Path.Combine(root, "ctx");
        Write(ctx, "Dockerfile", "FROM scratch\n");
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var output = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BuildContext.WriteTarAsync(ctx, "Dockerfile", output, null, cts.Token));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public async Task CancellingMidway_StopsWithinTheFileBeingCopied()
    {
        string ctx = Path.Combine(root, "ctx");
        Write(ctx, "Dockerfile", "FROM scratch\n");
        File.WriteAllBytes(Path.Combine(ctx, "big.bin"), new byte[32 * 1024 * 1024]);
        using var cts = new CancellationTokenSource();
        using var output = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => BuildContext.WriteTarAsync(ctx, "Dockerfile", output, _ => cts.Cancel(), cts.Token));
        Assert.True(output.Length < 1024 * 1024, $"{output.Length} bytes were written after the cancel");
    }

    private static void Write(string ctx, string relative, string content, UnixFileMode? mode = null)
    {
        string path = Path.Combine(ctx, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (mode != null && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode.Value);
        }
    }

    /// <summary>Entry names in tar order, read by our own header walk (no system tar needed).</summary>
    private static async Task<string[]> NamesAsync(string ctx, string dockerfile)
    {
        using var output = new MemoryStream();
        await BuildContext.WriteTarAsync(ctx, dockerfile, output, null, CancellationToken.None);
        return RawHeaders(output.ToArray()).Where(h => h.Type != 'x').Select(h => h.Name).ToArray();
    }

    private sealed record Header(string Name, char Type, bool Ustar);

    /// <summary>The headers of a tar as written (the ustar name field, not the PAX path).</summary>
    private static List<Header> RawHeaders(byte[] tar)
    {
        var headers = new List<Header>();
        for (int at = 0; at + 512 <= tar.Length;)
        {
            var block = tar.AsSpan(at, 512);
            if (block.IndexOfAnyExcept((byte)0) < 0)
            {
                break;
            }

            int nameEnd = block[..100].IndexOf((byte)0);
            string name = Encoding.UTF8.GetString(block[..(nameEnd < 0 ? 100 : nameEnd)]);
            long size = Convert.ToInt64(Encoding.ASCII.GetString(block.Slice(124, 11)), 8);
            bool ustar = Encoding.ASCII.GetString(block.Slice(257, 8)) == "ustar\0" + "00"; // magic, then version
            Assert.Equal("0000000", Encoding.ASCII.GetString(block.Slice(108, 7))); // uid
            Assert.Equal("0000000", Encoding.ASCII.GetString(block.Slice(116, 7))); // gid
            headers.Add(new Header(name, (char)block[156], ustar));
            at += 512 + (int)((size + 511) / 512 * 512);
        }

        return headers;
    }

    private sealed record Listed(string Perms, string Owner, string Name, string? Target);

    private static readonly Regex ListingLine = new(@"^(\S{10}) (\S+)\s+\d+ \S+ \S+ (.*)$");

    private static Listed ParseListing(string line)
    {
        Match m = ListingLine.Match(line);
        Assert.True(m.Success, $"unexpected tar listing line: {line}");
        string rest = m.Groups[3].Value;
        if (m.Groups[1].Value[0] == 'l')
        {
            int arrow = rest.IndexOf(" -> ", StringComparison.Ordinal);
            return new Listed(m.Groups[1].Value, m.Groups[2].Value, rest[..arrow], rest[(arrow + 4)..]);
        }

        return new Listed(m.Groups[1].Value, m.Groups[2].Value, rest, null);
    }

    private static string ModeString(char type, UnixFileMode mode)
    {
        var s = new StringBuilder().Append(type);
        string letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--)
        {
            s.Append(((int)mode & (1 << bit)) != 0 ? letters[8 - bit] : '-');
        }

        return s.ToString();
    }

    /// <summary>Every path under the folder, relative, without following links.</summary>
    private static IEnumerable<string> AllEntries(string dir, string prefix = "")
    {
        foreach (FileSystemInfo info in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            string relative = prefix + info.Name;
            yield return relative;
            if (info is DirectoryInfo && info.LinkTarget == null)
            {
                foreach (string inner in AllEntries(info.FullName, relative + "/"))
                {
                    yield return inner;
                }
            }
        }
    }
}
