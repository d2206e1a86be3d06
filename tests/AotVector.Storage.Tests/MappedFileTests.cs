using AotVector.Storage.Files;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class MappedFileTests
{
    [Fact]
    public void Open_NewFile_CapacityIsPageRoundedAndZeroed()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 100);

        Assert.Equal(Environment.SystemPageSize, file.Capacity);
        Assert.Equal(file.Capacity, new FileInfo(file.Path).Length);
        Assert.True(file.Span.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Open_NonPositiveCapacity_Throws()
    {
        using var dir = new TempDirectory();
        Assert.Throws<ArgumentOutOfRangeException>(() => MappedFile.Open(dir.Combine("m.bin"), 0));
    }

    [Fact]
    public void EnsureCapacity_Larger_GrowsAtLeastDoublingAndKeepsData()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 4096);
        file.GetSpan(10, 3).Fill(7);
        var before = file.Capacity;

        file.EnsureCapacity(before + 1);

        Assert.True(file.Capacity >= before * 2);
        Assert.Equal(new byte[] { 7, 7, 7 }, file.GetSpan(10, 3).ToArray());
        Assert.True(file.GetSpan(before, (int)(file.Capacity - before)).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Prefault_GrowsAndFaultsTheRangeIn_WithoutChangingData()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 4096);
        file.GetSpan(100, 3).Fill(9);
        const int Length = 64 * 4096;

        file.Prefault(50, Length);

        Assert.True(file.Capacity >= 50 + Length);
        if (OperatingSystem.IsLinux())
        {
            // Resident before anything reads the range (a read would fault it in too).
            Assert.True(ResidentKb(file.Path) >= Length / 1024, $"{ResidentKb(file.Path)} kB resident");
        }

        Assert.Equal(new byte[] { 9, 9, 9 }, file.GetSpan(100, 3).ToArray());
        Assert.True(file.GetSpan(103, Length - 53).IndexOfAnyExcept((byte)0) < 0);
    }

    // Resident kB of every mapping of the file in this process (/proc/self/smaps).
    private static long ResidentKb(string path)
    {
        long total = 0;
        var inFile = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-'))
            {
                inFile = line.EndsWith(" " + path, StringComparison.Ordinal);
            }
            else if (inFile && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                total += long.Parse(line["Rss:".Length..].Replace("kB", "").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [Fact]
    public void EnsureCapacity_AlreadyLargeEnough_KeepsCapacity()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 8192);

        file.EnsureCapacity(100);

        Assert.Equal(8192, file.Capacity);
    }

    [Fact]
    public void EnsureCapacity_SpanTakenBeforeGrowth_StaysValidAndShared()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 4096);
        var old = file.GetSpan(0, 16);

        file.EnsureCapacity(1 << 20);
        old[5] = 42;
        file.GetSpan(6, 1)[0] = 43;

        Assert.Equal(42, file.GetSpan(5, 1)[0]);
        Assert.Equal(43, old[6]);
    }

    [Fact]
    public void EnsureCapacity_ReleasesOldView_WithoutLosingItsUnflushedWrites()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.bin");
        using (var file = MappedFile.Open(path, 4096))
        {
            // Dirty pages of the old view are dropped from it at growth; they must survive in the page cache.
            var old = file.GetSpan(0, 4096);
            for (var i = 0; i < old.Length; i++)
            {
                old[i] = (byte)(i * 7);
            }

            file.EnsureCapacity(1 << 16);
            file.EnsureCapacity(1 << 18);
            for (var i = 0; i < 4096; i++)
            {
                Assert.Equal((byte)(i * 7), file.GetSpan(i, 1)[0]);
                Assert.Equal((byte)(i * 7), old[i]);
            }

            file.Flush();
        }

        using var reopened = MappedFile.Open(path, 4096);
        Assert.Equal(unchecked((byte)(100 * 7)), reopened.GetSpan(100, 1)[0]);
    }

    [Fact]
    public void GetSpan_OutsideMapping_Throws()
    {
        using var dir = new TempDirectory();
        using var file = MappedFile.Open(dir.Combine("m.bin"), 4096);

        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetSpan(4090, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetSpan(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.GetSpan(0, -1));
    }

    [Fact]
    public void Flush_ThenReopen_DataPersisted()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.bin");
        var rng = new Random(5);
        var data = new byte[10_000];
        rng.NextBytes(data);
        using (var file = MappedFile.Open(path, 4096))
        {
            file.EnsureCapacity(20_000);
            data.CopyTo(file.GetSpan(5_000, data.Length));
            file.Flush();
        }

        using var reopened = MappedFile.Open(path, 4096);

        Assert.True(reopened.Capacity >= 20_000);
        Assert.Equal(data, reopened.GetSpan(5_000, data.Length).ToArray());
    }

    [Fact]
    public void Open_ExistingLargerFile_MapsWholeFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.bin");
        var content = new byte[3 * 4096];
        content[^1] = 0xAB;
        File.WriteAllBytes(path, content);

        using var file = MappedFile.Open(path, 4096);

        Assert.Equal(content.Length, file.Capacity);
        Assert.Equal(0xAB, file.Span[^1]);
    }

    [Fact]
    public void Members_AfterDispose_ThrowObjectDisposed()
    {
        using var dir = new TempDirectory();
        var file = MappedFile.Open(dir.Combine("m.bin"), 4096);
        file.Dispose();

        Assert.Throws<ObjectDisposedException>(() => file.GetSpan(0, 1));
        Assert.Throws<ObjectDisposedException>(() => file.EnsureCapacity(1 << 20));
        Assert.Throws<ObjectDisposedException>(file.Flush);
    }
}
