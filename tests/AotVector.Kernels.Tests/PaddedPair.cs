using AotVector.Testing;

namespace AotVector.Kernels.Tests;

/// <summary>
/// Two seeded random vectors, each placed at an odd offset inside a NaN-filled buffer: a kernel that reads
/// one element outside its span returns NaN, and the inputs are deliberately not vector-aligned.
/// </summary>
public sealed class PaddedPair
{
    private const int Pad = 17;

    private readonly float[] _a;
    private readonly float[] _b;
    private readonly int _length;

    public PaddedPair(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        _length = length;
        _a = Padded(SeededRandom.Vector(rng, length), scale);
        _b = Padded(SeededRandom.Vector(rng, length), scale);
    }

    public ReadOnlySpan<float> A => _a.AsSpan(Pad, _length);

    public ReadOnlySpan<float> B => _b.AsSpan(Pad, _length);

    private static float[] Padded(float[] values, float scale)
    {
        var buffer = new float[values.Length + (2 * Pad)];
        buffer.AsSpan().Fill(float.NaN);
        for (int i = 0; i < values.Length; i++)
        {
            buffer[Pad + i] = values[i] * scale;
        }

        return buffer;
    }
}
