namespace AotVector.Kernels.Tests;

// Prefetch is only a hint: these check that it accepts any span (empty, short, long) and leaves data untouched.
public sealed class PrefetchTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(784)]
    public void Vector_AnyLength_LeavesDataUnchanged(int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = i;
        }

        Prefetch.Vector(data);
        Prefetch.Lines<float>(data, 100);
        Prefetch.Lines<float>(data, 0);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(i, data[i]);
        }
    }

    [Fact]
    public void At_ArrayElement_DoesNotThrow()
    {
        var table = new uint[] { 3, 1, 2, 3 };
        Prefetch.At(in table[2]);
        Assert.Equal(2u, table[2]);
    }
}
