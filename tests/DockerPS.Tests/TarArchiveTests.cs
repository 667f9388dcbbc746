using System.Runtime.Versioning;
using System.Text;
using DockerPS.Archives;
using DockerPS.Errors;

namespace DockerPS.Tests;

/// <summary>
/// The tar reader and extractor on their own: archives from the system tar in each header format, the module's own
/// writer read back, and hostile archives that try to write outside the destination. No engine needed.
/// </summary>
[UnsupportedOSPlatform("windows")] // File modes and symbolic links as checked here are Unix notions.
public sealed class TarArchiveTests : IDisposable
{
    private static readonly string LongFolder = "folder-" + new string('f', 53);
    private static readonly string LongTarget = "../" + new string('t', 120);

    private readonly string root = Path.Combine(Path.GetTempPath(), "dockerps-tar-" + Guid.NewGuid().ToString("N"));

    public TarArchiveTests()
    {
        Directory.CreateDirectory(root);
    }

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, true);
        }
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("pax")]
    [InlineData("ustar")]
    public async Task Reader_ReadsLongNamesLinksModesAndContent_FromTheSystemTar(string format)
    {
        string source = MakeTree("source", withLongLink: format != "ustar");
        string archive = Path.Combine(root, format + ".tar");
        var (code, _, error) = Shell.Run("tar", "--format=" + format, "-C", source, "-cf", archive, ".");
        Assert.True(code == 0, error);

        var entries = new Dictionary<string, (TarEntry Entry, byte[] Content)>();
        await using (var input = File.OpenRead(archive))
        {
            var reader = new TarReader(input, CancellationToken.None);
            for (TarEntry? entry = await reader.NextAsync(); entry != null; entry = await reader.NextAsync())
            {
                entries[entry.Name.TrimEnd('/')] = (entry, await reader.ReadAllAsync(1 << 20));
            }
        }

        string longFile = $"./{LongFolder}/{LongFolder}/deep.txt";
        Assert.Equal(TarEntryType.File, entries[longFile].Entry.Type);
        Assert.Equal("deep\n", Encoding.UTF8.GetString(entries[longFile].Content));
        Assert.Equal(TarEntryType.Directory, entries[$"./{LongFolder}"].Entry.Type);
        Assert.Equal(Convert.ToInt32("750", 8), entries["./private"].Entry.Mode);
        Assert.Equal(Convert.ToInt32("755", 8), entries["./run.sh"].Entry.Mode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "random.bin")), entries["./random.bin"].Content);
        Assert.Equal(TarEntryType.Symlink, entries["./link"].Entry.Type);
        Assert.Equal("run.sh", entries["./link"].Entry.LinkName);
        Assert.Equal(new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc), entries["./run.sh"].Entry.ModifiedUtc);
        if (format != "ustar")
        {
            Assert.Equal(LongTarget, entries["./long-link"].Entry.LinkName);
            Assert.Equal("ünïcödé", Encoding.UTF8.GetString(entries["./ünïcödé.txt"].Content));
        }
    }

    [Fact]
    public async Task WriterAndExtractor_RoundTripATree_WithLinksModesAndEmptyFolders()
    {
        string source = MakeTree("source", withLongLink: true);
        using var packed = new MemoryStream();
        var writer = new TarWriter(packed, null, CancellationToken.None);
        await writer.AddAsync(new DirectoryInfo(source), "copy");
        await writer.FinishAsync();
        packed.Position = 0;

        string destination = Directory.CreateDirectory(Path.Combine(root, "out")).FullName;
        var skipped = new List<string>();
        await TarExtractor.ExtractAsync(new TarReader(packed, CancellationToken.None), destination, name => name, skipped.Add, CancellationToken.None);

        Assert.Empty(skipped);
        string copy = Path.Combine(destination, "copy");
        Assert.Equal(Listing(source), Listing(copy));
        Assert.Equal("run.sh", new FileInfo(Path.Combine(copy, "link")).LinkTarget);
        Assert.Equal(LongTarget, new FileInfo(Path.Combine(copy, "long-link")).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(Path.Combine(copy, "private")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(copy, "empty")));
        Assert.Equal(new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(copy, "run.sh")));
    }

    [Fact]
    public async Task Extractor_CopiesHardLinks_AndReplacesEarlierEntriesOfTheSameName()
    {
        var tar = new TarBuilder()
            .File("a.txt", "first")
            .HardLink("b.txt", "a.txt")
            .File("a.txt", "second")
            .Folder("d")
            .File("d/x", "x")
            .Symlink("d", "a.txt")
            .End();
        string destination = Directory.CreateDirectory(Path.Combine(root, "out")).FullName;
        await TarExtractor.ExtractAsync(new TarReader(tar, CancellationToken.None), destination, name => name, _ => { }, CancellationToken.None);

        Assert.Equal("second", File.ReadAllText(Path.Combine(destination, "a.txt")));
        Assert.Equal("first", File.ReadAllText(Path.Combine(destination, "b.txt")));
        Assert.Equal("a.txt", new FileInfo(Path.Combine(destination, "d")).LinkTarget);
    }

    public static TheoryData<string, Func<TarBuilder, TarBuilder>> HostileArchives => new()
    {
        { "climbs with ..", b => b.File("../outside/evil.txt", "evil") },
        { "climbs deeper", b => b.Folder("a").File("a/../../outside/evil.txt", "evil") },
        { "absolute name", b => b.File("/tmp/dockerps-tar-evil-" + Guid.NewGuid().ToString("N"), "evil") },
        { "through its own link", b => b.Symlink("escape", "../outside").File("escape/evil.txt", "evil") },
        { "through a link to a folder", b => b.Symlink("escape", "/").Folder("escape/tmp") },
        { "a link in place of a folder", b => b.Folder("d").Folder("d/sub").Symlink("d", "../outside").File("d/evil.txt", "evil") },
        { "hard link out", b => b.HardLink("hard", "../outside/secret.txt") },
        { "hard link to a link", b => b.Symlink("link", "../outside/secret.txt").HardLink("hard", "link") },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task Extractor_RefusesEntriesThatWouldLandOutsideTheDestination(string why, Func<TarBuilder, TarBuilder> build)
    {
        string outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        string destination = Directory.CreateDirectory(Path.Combine(root, "destination")).FullName;
        using MemoryStream tar = build(new TarBuilder()).End();

        var error = await Assert.ThrowsAsync<DockerPSException>(() =>
            TarExtractor.ExtractAsync(new TarReader(tar, CancellationToken.None), destination, name => name, _ => { }, CancellationToken.None));
        Assert.Equal(ErrorIds.UnsafeArchiveEntry, error.ErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.SecurityError, error.Category);
        Assert.Equal(new[] { "secret.txt" }, Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal("secret", File.ReadAllText(Path.Combine(outside, "secret.txt")));
        Assert.Empty(Directory.GetFiles("/tmp", "dockerps-tar-evil-*"));
        Assert.False(Directory.Exists("/tmp/tmp"), why);
    }

    [Fact]
    public async Task Extractor_NeverSetsAFoldersModeThroughALinkThatTookItsPlace()
    {
        string outside = Directory.CreateDirectory(Path.Combine(root, "outside")).FullName;
        UnixFileMode before = File.GetUnixFileMode(outside);
        using MemoryStream tar = new TarBuilder().Folder("d", "0777").Folder("d/sub", "0777").Symlink("d", "../outside").End();
        string destination = Directory.CreateDirectory(Path.Combine(root, "destination")).FullName;

        await TarExtractor.ExtractAsync(new TarReader(tar, CancellationToken.None), destination, name => name, _ => { }, CancellationToken.None);

        Assert.Equal("../outside", new FileInfo(Path.Combine(destination, "d")).LinkTarget);
        Assert.Equal(before, File.GetUnixFileMode(outside));
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public async Task Extractor_RefusesEntriesOutsideTheCopiedPath()
    {
        // As a copy out of a container maps names: everything must sit below the copied path's own name.
        using MemoryStream tar = new TarBuilder().Folder("copied").File("copied/ok.txt", "ok").File("other/evil.txt", "evil").End();
        string destination = Directory.CreateDirectory(Path.Combine(root, "destination")).FullName;
        static string? Map(string name) => name == "copied/" || name.StartsWith("copied/", StringComparison.Ordinal) ? name : null;

        var error = await Assert.ThrowsAsync<DockerPSException>(() =>
            TarExtractor.ExtractAsync(new TarReader(tar, CancellationToken.None), destination, Map, _ => { }, CancellationToken.None));
        Assert.Equal(ErrorIds.UnsafeArchiveEntry, error.ErrorId);
        Assert.Equal("other/evil.txt", error.Target);
        Assert.False(Directory.Exists(Path.Combine(destination, "other")));
    }

    [Fact]
    public async Task Reader_ReportsDamagedArchives()
    {
        byte[] good = new TarBuilder().File("a.txt", new string('a', 2000)).End().ToArray();
        byte[] badSum = (byte[])good.Clone();
        badSum[0] ^= 0x20;
        await Assert.ThrowsAsync<InvalidDataException>(() => new TarReader(new MemoryStream(badSum), CancellationToken.None).NextAsync());

        var reader = new TarReader(new MemoryStream(good[..1024]), CancellationToken.None);
        Assert.NotNull(await reader.NextAsync());
        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.NextAsync());

        // A stream that simply ends between entries, without the two zero blocks, ends the archive.
        var unterminated = new TarReader(new MemoryStream(good[..2560]), CancellationToken.None);
        Assert.NotNull(await unterminated.NextAsync());
        Assert.Null(await unterminated.NextAsync());
    }

    [Fact]
    public async Task Reader_SeeksPastSkippedContent_WhenTheStreamCanSeek()
    {
        // An image archive's manifest.json comes after its layers: finding it in a file must not read them.
        byte[] archive = new TarBuilder().File("layer.tar", new string('l', 1 << 20)).File("manifest.json", "[]").End().ToArray();
        var file = new ReadCountingStream(new MemoryStream(archive), seekable: true);
        var reader = new TarReader(file, CancellationToken.None);
        Assert.Equal("layer.tar", (await reader.NextAsync())!.Name);
        Assert.Equal("manifest.json", (await reader.NextAsync())!.Name);
        Assert.Equal("[]", Encoding.UTF8.GetString(await reader.ReadAllAsync(1024)));
        Assert.True(file.BytesRead < 4096, $"read {file.BytesRead} bytes to reach the second entry of a {archive.Length}-byte archive");

        // Cut inside the skipped layer, the archive is damaged whether it is sought through or read through.
        foreach (bool seekable in new[] { true, false })
        {
            var cut = new TarReader(new ReadCountingStream(new MemoryStream(archive[..4096]), seekable), CancellationToken.None);
            Assert.NotNull(await cut.NextAsync());
            await Assert.ThrowsAsync<EndOfStreamException>(() => cut.NextAsync());
        }
    }

    /// <summary>A folder with nested and long paths, modes, links, an empty folder and random bytes.</summary>
    private string MakeTree(string name, bool withLongLink)
    {
        string tree = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        string deep = Directory.CreateDirectory(Path.Combine(tree, LongFolder, LongFolder)).FullName;
        File.WriteAllText(Path.Combine(deep, "deep.txt"), "deep\n");
        Directory.CreateDirectory(Path.Combine(tree, "empty"));
        string priv = Directory.CreateDirectory(Path.Combine(tree, "private")).FullName;
        File.WriteAllText(Path.Combine(priv, "key"), "k");
        File.SetUnixFileMode(priv, (UnixFileMode)Convert.ToInt32("750", 8));
        string run = Path.Combine(tree, "run.sh");
        File.WriteAllText(run, "#!/bin/sh\necho run\n");
        File.SetUnixFileMode(run, (UnixFileMode)Convert.ToInt32("755", 8));
        File.SetLastWriteTimeUtc(run, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        File.WriteAllBytes(Path.Combine(tree, "random.bin"), RandomBytes(70_000));
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "run.sh");
        if (withLongLink)
        {
            File.CreateSymbolicLink(Path.Combine(tree, "long-link"), LongTarget);
            File.WriteAllText(Path.Combine(tree, "ünïcödé.txt"), "ünïcödé");
        }

        return tree;
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Relative path, kind, mode and content of everything below a folder, links not followed.</summary>
    private static string Listing(string folder) =>
        string.Join("\n", Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(path =>
            {
                var info = new FileInfo(path);
                string relative = Path.GetRelativePath(folder, path);
                return info.LinkTarget != null ? $"{relative} -> {info.LinkTarget}"
                    : Directory.Exists(path) ? $"{relative}/ {File.GetUnixFileMode(path)}"
                    : $"{relative} {File.GetUnixFileMode(path)} {Convert.ToBase64String(File.ReadAllBytes(path))}";
            })
            .Order(StringComparer.Ordinal));

    /// <summary>A read-only stream that counts the bytes read through it, seekable or not as asked.</summary>
    private sealed class ReadCountingStream(Stream inner, bool seekable) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => seekable ? inner.Length : throw new NotSupportedException();

        public override long Position
        {
            get => seekable ? inner.Position : throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => seekable ? inner.Seek(offset, origin) : throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Writes ustar entries with any name at all, as a hostile archive would.</summary>
    public sealed class TarBuilder
    {
        private readonly MemoryStream output = new();

        public TarBuilder File(string name, string content)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(content);
            Header(name, '0', bytes.Length, null);
            output.Write(bytes);
            output.Write(new byte[(512 - (bytes.Length % 512)) % 512]);
            return this;
        }

        public TarBuilder Folder(string name, string mode = "0755") => Header(name + "/", '5', 0, null, mode);

        public TarBuilder Symlink(string name, string target) => Header(name, '2', 0, target);

        public TarBuilder HardLink(string name, string target) => Header(name, '1', 0, target);

        public MemoryStream End()
        {
            output.Write(new byte[1024]);
            output.Position = 0;
            return output;
        }

        private TarBuilder Header(string name, char type, long size, string? link, string mode = "0644")
        {
            var header = new byte[512];
            Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
            Encoding.ASCII.GetBytes(mode.PadLeft(7, '0') + "\0").CopyTo(header, 100);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
            Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
            Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
            header[156] = (byte)type;
            if (link != null)
            {
                Encoding.ASCII.GetBytes(link).CopyTo(header, 157);
            }

            Encoding.ASCII.GetBytes("ustar\000").CopyTo(header, 257);
            for (int i = 148; i < 156; i++)
            {
                header[i] = (byte)' ';
            }

            int sum = header.Sum(b => b);
            Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
            output.Write(header);
            return this;
        }
    }
}
