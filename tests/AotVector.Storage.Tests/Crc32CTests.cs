using System.Text;
using AotVector.Storage.Checksums;

namespace AotVector.Storage.Tests;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckString_MatchesKnownValue()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0xE3069283u, Crc32C.ComputeSoftware(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Compute_Empty_IsZero()
    {
        Assert.Equal(0u, Crc32C.Compute([]));
    }

    [Fact]
    public void Compute_Rfc3720Vectors_MatchKnownValues()
    {
        // iSCSI (RFC 3720, B.4) test patterns.
        var zeros = new byte[32];
        var ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var descending = Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray();

        Assert.Equal(0x8A9136AAu, Crc32C.Compute(zeros));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(ones));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(ascending));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(descending));
    }

    [Fact]
    public void Compute_EveryLength0To100_HardwareEqualsSoftware()
    {
        var rng = new Random(20240601);
        for (var length = 0; length <= 100; length++)
        {
            for (var trial = 0; trial < 4; trial++)
            {
                var data = new byte[length];
                rng.NextBytes(data);
                Assert.Equal(Crc32C.ComputeSoftware(data), Crc32C.Compute(data));
            }
        }
    }

    [Fact]
    public void Compute_UnalignedSlices_HardwareEqualsSoftware()
    {
        var rng = new Random(7);
        var data = new byte[300];
        rng.NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            var slice = data.AsSpan(start, 250);
            Assert.Equal(Crc32C.ComputeSoftware(slice), Crc32C.Compute(slice));
        }
    }

    [Fact]
    public void Append_SplitAtEveryPoint_EqualsOneShotCompute()
    {
        var rng = new Random(11);
        var data = new byte[77];
        rng.NextBytes(data);
        var whole = Crc32C.Compute(data);
        for (var split = 0; split <= data.Length; split++)
        {
            var first = Crc32C.Compute(data.AsSpan(0, split));
            Assert.Equal(whole, Crc32C.Append(first, data.AsSpan(split)));
        }
    }

    [Fact]
    public void Compute_SingleBitFlip_ChangesChecksum()
    {
        var rng = new Random(3);
        var data = new byte[64];
        rng.NextBytes(data);
        var original = Crc32C.Compute(data);
        for (var bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(original, Crc32C.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
