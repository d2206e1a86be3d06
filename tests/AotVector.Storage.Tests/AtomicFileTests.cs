using AotVector.Storage.Files;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class AtomicFileTests
{
    [Fact]
    public void WriteAllBytes_NewFile_WritesContents()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("meta.json");

        AtomicFile.WriteAllBytes(path, "{\"a\":1}"u8);

        Assert.Equal("{\"a\":1}"u8.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void WriteAllBytes_ExistingFile_ReplacesContentsAndLeavesNoTempFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("meta.json");
        File.WriteAllBytes(path, new byte[1000]);

        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Equal(["meta.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteAllBytes_StaleTempFileFromCrash_IsOverwritten()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("meta.json");
        File.WriteAllBytes(path + ".tmp", new byte[5000]);

        AtomicFile.WriteAllBytes(path, [9]);

        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void WriteAllBytes_Empty_CreatesEmptyFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("empty");

        AtomicFile.WriteAllBytes(path, []);

        Assert.Empty(File.ReadAllBytes(path));
    }

    [Fact]
    public void FlushDirectory_ExistingDirectory_SucceedsAndClosesWhatItOpens()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "a"), "x");
        Assert.Null(Record.Exception(() => AtomicFile.FlushDirectory(dir.Path)));
        Assert.Equal(["a"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Each call opens the directory; a leaked descriptor per call would show as hundreds more open. Other tests
        // of this assembly open and close files meanwhile, so only a growth of that order counts.
        const int Calls = 300;
        var before = Directory.GetFiles("/proc/self/fd").Length;
        for (var i = 0; i < Calls; i++)
        {
            AtomicFile.FlushDirectory(dir.Path);
        }

        var grown = Directory.GetFiles("/proc/self/fd").Length - before;
        Assert.True(grown < Calls / 2, $"{grown} more descriptors open after {Calls} flushes");
    }

    [Fact]
    public void FlushDirectory_MissingDirectory_ThrowsIOException()
    {
        using var dir = new TempDirectory();
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Throws<IOException>(() => AtomicFile.FlushDirectory(dir.Combine("missing")));
    }
}
