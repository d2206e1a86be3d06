namespace AotVector.Kernels.Tests;

/// <summary>Lengths and (path, length) pairs shared by the kernel tests.</summary>
public static class KernelCases
{
    /// <summary>3 × 16 + 1: every full-vector count and every tail size of the widest (512-bit) path, plus one.</summary>
    public const int MaxShortLength = (3 * 16) + 1;

    private static readonly int[] s_longLengths = [128, 768, 784, 1536, 65536];

    public static IEnumerable<int> AllLengths() => Enumerable.Range(0, MaxShortLength + 1).Concat(s_longLengths);

    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int length in AllLengths())
        {
            data.Add(length);
        }

        return data;
    }

    /// <summary>Every fixed-width path with every length it accepts (length &gt;= that width's lane count).</summary>
    public static TheoryData<KernelPath, int> PathsAndLengths()
    {
        var data = new TheoryData<KernelPath, int>();
        foreach (KernelPath path in new[] { KernelPath.Vector512, KernelPath.Vector256, KernelPath.Vector128, KernelPath.Scalar })
        {
            foreach (int length in AllLengths())
            {
                if (length >= MinLength(path))
                {
                    data.Add(path, length);
                }
            }
        }

        return data;
    }

    public static int MinLength(KernelPath path) => path switch
    {
        KernelPath.Vector512 => 16,
        KernelPath.Vector256 => 8,
        KernelPath.Vector128 => 4,
        _ => 0,
    };
}
