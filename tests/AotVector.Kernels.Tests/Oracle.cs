namespace AotVector.Kernels.Tests;

/// <summary>
/// Scalar double-precision references. Each returns the exact-ish value and the sum of the absolute terms,
/// which bounds float rounding error independently of cancellation.
/// </summary>
public static class Oracle
{
    /// <summary>
    /// Relative tolerance: |kernel - oracle| &lt;= 1e-4 × Σ|term_i|. For SquaredL2 and L1 every term is
    /// non-negative, so this is a plain 1e-4 relative error; for Dot it is relative to Σ|a_i·b_i| because
    /// the signed sum can cancel to near zero.
    /// </summary>
    public const double RelativeTolerance = 1e-4;

    public static (double Value, double Magnitude) Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0, magnitude = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double term = (double)a[i] * b[i];
            sum += term;
            magnitude += Math.Abs(term);
        }

        return (sum, magnitude);
    }

    public static (double Value, double Magnitude) SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }

        return (sum, sum);
    }

    public static (double Value, double Magnitude) L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs((double)a[i] - b[i]);
        }

        return (sum, sum);
    }

    public static void AssertClose((double Value, double Magnitude) expected, float actual, string context)
    {
        double tolerance = RelativeTolerance * expected.Magnitude;
        double error = Math.Abs(actual - expected.Value);
        Assert.True(
            error <= tolerance,
            $"{context}: kernel {actual:R}, oracle {expected.Value:R}, error {error:E3} > tolerance {tolerance:E3}");
    }
}
