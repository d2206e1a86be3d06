using System.Buffers;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class AtomicFileWriterTests
{
    [Fact]
    public void Commit_WritesHeaderThenBody_WithTheBodysCrcAndLength_PastSeveralChunks()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("state");
        File.WriteAllBytes(path, [1, 2, 3]);
        var body = new byte[(3 << 20) + 12345];
        new Random(7).NextBytes(body);

        using (var writer = new AtomicFileWriter(path, headerSize: 8))
        {
            // Uneven pieces, so chunk boundaries fall inside writes.
            for (var at = 0; at < body.Length;)
            {
                var piece = Math.Min(body.Length - at, 1 + (at % 70_001));
                writer.Write(body.AsSpan(at, piece));
                at += piece;
            }

            Assert.Equal(body.Length, writer.BodyLength);
            Assert.Equal(Crc32C.Compute(body), writer.BodyCrc);
            Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
            writer.Commit("HEADER!!"u8);
        }

        var file = File.ReadAllBytes(path);
        Assert.Equal("HEADER!!"u8.ToArray(), file[..8]);
        Assert.Equal(body, file[8..]);
        Assert.Equal(["state"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void DisposeWithoutCommit_LeavesTheOldFile_AndNoTempFile_AHeaderOfTheWrongSizeIsRefused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("state");
        File.WriteAllBytes(path, [4, 5]);
        using (var writer = new AtomicFileWriter(path, headerSize: 4))
        {
            writer.Write(new byte[100]);
            Assert.Throws<ArgumentException>(() => writer.Commit([1, 2, 3]));
        }

        Assert.Equal([4, 5], File.ReadAllBytes(path));
        Assert.Equal(["state"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
