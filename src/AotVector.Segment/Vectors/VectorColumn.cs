using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Storage.Vectors;

namespace AotVector.Segment.Vectors;

/// <summary>
/// One named vector of a segment: the memory-mapped <see cref="VectorFile"/> of preprocessed vectors by offset,
/// plus which offsets currently have this vector.
/// </summary>
internal sealed class VectorColumn : IDisposable
{
    private readonly VectorFile _file;
    private readonly List<bool> _present = [];
    private readonly float[] _scratch;

    public VectorColumn(string name, VectorSpec spec, VectorFile file)
    {
        Name = name;
        Spec = spec;
        _file = file;
        _scratch = new float[spec.Dimension];
    }

    public string Name { get; }

    public VectorSpec Spec { get; }

    public int Dimension => Spec.Dimension;

    public Distance Distance => Spec.Distance;

    public ulong PresentCount { get; private set; }

    /// <summary>Offsets stored in the file (vectors at or beyond this were never written).</summary>
    public uint StoredCount => _file.Count;

    public bool Has(uint offset) => offset < _present.Count && _present[(int)offset];

    /// <summary>Preprocesses a copy of <paramref name="vector"/> (the caller's array is untouched) and stores it.</summary>
    public void Set(uint offset, ReadOnlySpan<float> vector)
    {
        vector.CopyTo(_scratch);
        DistanceKernels.Preprocess(Distance, _scratch);
        _file.Set(offset, _scratch);
        SetPresent(offset, true);
    }

    public void SetPresent(uint offset, bool present)
    {
        while (_present.Count <= offset)
        {
            _present.Add(false);
        }

        if (_present[(int)offset] != present)
        {
            _present[(int)offset] = present;
            PresentCount = present ? PresentCount + 1 : PresentCount - 1;
        }
    }

    public ReadOnlySpan<float> Get(uint offset) => _file.Get(offset);

    public ReadOnlySpan<float> GetBlock(uint first, int count) => _file.GetBlock(first, count);

    public void Flush() => _file.Flush();

    public void Dispose() => _file.Dispose();
}
