using System.Diagnostics;
using System.IO.Compression;
using System.Management.Automation;

namespace DockerPS.Tests;

[Collection(EngineCollection.Name)]
public sealed class CancellationTests
{
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);
    private readonly EngineFixture engine;

    public CancellationTests(EngineFixture engine) => this.engine = engine;

    [Fact]
    public void CtrlC_DuringSaveOfALargeImage_EndsWithinASecond_AndLeavesNoFile()
    {
        engine.EnsureBigImage();
        using var ps = new PsSession(engine);
        string archive = engine.NewPath("big.tar");
        ps.Set("archive", archive);
        using var pipeline = ps.Start($"Save-DockerImage -Name {EngineFixture.BigImage} -Path $archive", out var pending);

        // Wait until bytes are flowing into the temporary file.
        var waited = Stopwatch.StartNew();
        while (ps.Host.ProgressRecords.Count(p => p.Activity == "Saving images" && p.RecordType == ProgressRecordType.Processing) == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the save never reported progress");
            Assert.False(pending.IsCompleted, "the save finished before it could be stopped; make the test image larger");
            Thread.Sleep(10);
        }

        Assert.NotEmpty(Directory.GetFiles(engine.WorkDir, "*big.tar*.partial"));
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        Assert.False(File.Exists(archive), "no file at -Path");
        Assert.Empty(Directory.GetFiles(engine.WorkDir, "*.partial"));
    }

    [Fact]
    public void CtrlC_DuringALongExec_EndsTheCall()
    {
        engine.EnsureBaseImage();
        string name = engine.NewName("longexec");
        Shell.Docker("run", "-d", "--name", name, "--label", engine.Label, EngineFixture.BaseImage, "sleep", "300");
        using var ps = new PsSession(engine);
        ps.Set("n", name);
        using var pipeline = ps.Start("Invoke-DockerExec -Container $n -Command sh, -c, 'echo started; sleep 120; echo never'", out var pending);
        var waited = Stopwatch.StartNew();
        while (pipeline.Streams.Error.Count == 0 && !pending.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(3))
        {
            Thread.Sleep(50);
        }

        Assert.False(pending.IsCompleted, "the exec ended by itself");
        var stopping = Stopwatch.StartNew();
        pipeline.Stop();
        stopping.Stop();
        Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
    }

    [Fact]
    public void CtrlC_DuringTheScanOfALargeArchive_StopsTheScan()
    {
        // A gzip archive of one 4 GiB entry of zeros and no manifest: a compressed archive cannot be sought through, so
        // Import-DockerImage inflates for seconds before it gives up. The zeros are one small gzip member written many
        // times over (a gzip file may hold several members), so the file is small and quick to make.
        string archive = engine.NewPath("zeros.tar.gz");
        const int Members = 64;
        const int MemberSize = 64 << 20;
        using (var file = new FileStream(archive, FileMode.CreateNew))
        {
            WriteGzipMember(file, TarHeader("zeros.bin", (long)Members * MemberSize));
            byte[] zeros = GzipMember(new byte[MemberSize]);
            for (int i = 0; i < Members; i++)
            {
                file.Write(zeros);
            }

            WriteGzipMember(file, new byte[1024]);
        }

        try
        {
            using var ps = new PsSession(engine);
            ps.Set("archive", archive);
            using var pipeline = ps.Start("Import-DockerImage -Path $archive", out var pending);
            Thread.Sleep(300);
            Assert.False(pending.IsCompleted, "the scan ended by itself");
            var stopping = Stopwatch.StartNew();
            pipeline.Stop();
            stopping.Stop();
            Assert.True(stopping.Elapsed < WithinASecond, $"Stop took {stopping.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(PSInvocationState.Stopped, pipeline.InvocationStateInfo.State);
        }
        finally
        {
            File.Delete(archive);
        }
    }

    private static void WriteGzipMember(Stream file, byte[] data) => file.Write(GzipMember(data));

    private static byte[] GzipMember(byte[] data)
    {
        using var member = new MemoryStream();
        using (var gzip = new GZipStream(member, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return member.ToArray();
    }

    private static byte[] TarHeader(string name, long size)
    {
        var header = new byte[512];
        void Put(int offset, string text) => System.Text.Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, name);
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
        Put(136, "00000000000\0");
        Put(148, "        ");
        header[156] = (byte)'0';
        Put(257, "ustar\0");
        Put(263, "00");
        Put(148, Convert.ToString(header.Sum(b => (int)b), 8).PadLeft(6, '0') + "\0 ");
        return header;
    }
}
