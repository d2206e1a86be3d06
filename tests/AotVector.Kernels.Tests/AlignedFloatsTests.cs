using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AotVector.Kernels;
using Xunit;

namespace AotVector.Kernels.Tests;

public sealed class AlignedFloatsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(127)]
    [InlineData(784)]
    [InlineData(1536)]
    public void Every_buffer_starts_on_a_cache_line_and_holds_what_was_copied(int length)
    {
        // Many buffers, so the allocator's different starting offsets are all exercised.
        var rng = new Random(length);
        for (var i = 0; i < 64; i++)
        {
            var buffer = new AlignedFloats(length);
            var source = Enumerable.Range(0, length).Select(_ => (float)rng.NextDouble()).ToArray();
            var copy = buffer.CopyFrom(source);

            Assert.Equal(length, copy.Length);
            Assert.Equal(0, AddressOf(copy) % 64);
            Assert.True(copy.SequenceEqual(source));
        }
    }

    [Fact]
    public void Zero_length_is_an_empty_span()
    {
        Assert.Equal(0, new AlignedFloats(0).Span.Length);
    }

    private static long AddressOf(ReadOnlySpan<float> span)
    {
        // The buffer is pinned, so its address is stable; the offset from a null reference is the address,
        // read without unsafe code.
        ref var first = ref MemoryMarshal.GetReference(span);
        return (long)Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref first);
    }
}
