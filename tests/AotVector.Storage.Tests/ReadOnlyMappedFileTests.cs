using AotVector.Storage.Files;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class ReadOnlyMappedFileTests
{
    [Fact]
    public void Open_MapsTheBytes_AndLeavesTheFileAsItWas()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("r.bin");
        var bytes = new byte[10_001];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var written = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, written);

        using (var file = ReadOnlyMappedFile.Open(path))
        {
            file.Prefault();
            Assert.Equal(bytes.Length, file.Length);
            Assert.Equal(bytes, file.GetSpan(0, bytes.Length).ToArray());
            Assert.Equal(bytes[9_990..], file.GetSpan(9_990, 11).ToArray());
        }

        // Not grown to a page, not touched: the length and modification time tell an index reused from one rewritten.
        Assert.Equal(bytes.Length, new FileInfo(path).Length);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void GetSpan_OutsideTheFile_Throws()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("r.bin");
        File.WriteAllBytes(path, new byte[100]);
        using var file = ReadOnlyMappedFile.Open(path);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetSpan(90, 11).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetSpan(101, 0).Length);
        Assert.Equal(0, file.GetSpan(100, 0).Length);
    }

    [Fact]
    public void Open_EmptyOrMissingFile_ThrowsIOException()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("empty.bin"), []);

        Assert.Throws<IOException>(() => ReadOnlyMappedFile.Open(dir.Combine("empty.bin")));
        Assert.ThrowsAny<IOException>(() => ReadOnlyMappedFile.Open(dir.Combine("missing.bin")));
    }

    [Fact]
    public void GetSpan_AfterDispose_Throws()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("r.bin");
        File.WriteAllBytes(path, new byte[10]);
        var file = ReadOnlyMappedFile.Open(path);
        file.Dispose();
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => file.GetSpan(0, 1).Length);
    }
}
