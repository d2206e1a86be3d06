using AotVector.Storage.Files;
using AotVector.Testing;

namespace AotVector.Storage.Tests;

public sealed class HardLinkTests
{
    [Fact]
    public void ALink_KeepsTheContent_WhenTheOriginalIsReplacedByRename_AndSharesInPlaceWrites()
    {
        using var dir = new TempDirectory();
        var original = dir.Combine("state");
        var link = dir.Combine("captured");
        File.WriteAllBytes(original, [1, 2, 3]);

        Assert.True(HardLink.TryCreate(original, link));
        using (var stream = new FileStream(original, FileMode.Open, FileAccess.Write))
        {
            stream.Write([9]);
        }

        Assert.Equal([9, 2, 3], File.ReadAllBytes(link));
        AtomicFile.WriteAllBytes(original, [7, 7]);
        Assert.Equal([9, 2, 3], File.ReadAllBytes(link));
        File.Delete(original);
        Assert.Equal([9, 2, 3], File.ReadAllBytes(link));
    }

    [Fact]
    public void TryCreate_IsFalse_WhenTheNameIsTakenOrTheSourceMissing()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("a"), [1]);
        File.WriteAllBytes(dir.Combine("b"), [2]);
        Assert.False(HardLink.TryCreate(dir.Combine("a"), dir.Combine("b")));
        Assert.False(HardLink.TryCreate(dir.Combine("missing"), dir.Combine("c")));
        Assert.Equal([2], File.ReadAllBytes(dir.Combine("b")));
    }

    [Fact]
    public void RealPath_ResolvesEveryLinkAlongThePath_AndIsNullForMissingFiles()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("real", "inner"));
        File.WriteAllBytes(dir.Combine("real", "inner", "f"), [1]);
        Directory.CreateSymbolicLink(dir.Combine("via"), dir.Combine("real"));
        File.CreateSymbolicLink(dir.Combine("real", "inner", "g"), dir.Combine("real", "inner", "f"));

        var expected = HardLink.RealPath(dir.Combine("real", "inner", "f"));
        Assert.NotNull(expected);
        Assert.Equal(expected, HardLink.RealPath(dir.Combine("via", "inner", "f")));
        Assert.Equal(expected, HardLink.RealPath(dir.Combine("via", "inner", "g")));
        Assert.Equal(expected, HardLink.RealPath(dir.Combine("real", "inner", "..", "inner", "f")));
        Assert.Null(HardLink.RealPath(dir.Combine("via", "missing")));
    }
}
