namespace AotVector.Common.Model;

/// <summary>
/// One named vector of a point, as written and as read back: a <see cref="DenseVector"/>, a <see cref="SparseVector"/>
/// or a <see cref="MultiDenseVector"/>. Which kind a name holds is fixed by the collection's config. Two values are
/// equal when their numbers are, not only when they share arrays.
/// </summary>
public abstract record VectorData
{
    private protected VectorData()
    {
    }

    public static implicit operator VectorData(float[] dense) => new DenseVector(dense);
}

/// <summary>A dense vector of the collection's size.</summary>
public sealed record DenseVector(float[] Values) : VectorData
{
    public bool Equals(DenseVector? other) => other is not null && Values.AsSpan().SequenceEqual(other.Values);

    public override int GetHashCode() => Values.Length;
}

/// <summary>A sparse vector: <see cref="Values"/>[i] is the weight of dimension <see cref="Indices"/>[i].</summary>
public sealed record SparseVector(uint[] Indices, float[] Values) : VectorData
{
    public bool Equals(SparseVector? other) =>
        other is not null && Indices.AsSpan().SequenceEqual(other.Indices) && Values.AsSpan().SequenceEqual(other.Values);

    public override int GetHashCode() => Indices.Length;
}

/// <summary>
/// Several dense vectors of one size (a ColBERT-style multivector), row after row in <see cref="Values"/>:
/// row i is <c>Values[(i * Dimension)..((i + 1) * Dimension)]</c>.
/// </summary>
public sealed record MultiDenseVector(float[] Values, int Dimension) : VectorData
{
    public int Count => Dimension == 0 ? 0 : Values.Length / Dimension;

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Dimension, Dimension);

    public bool Equals(MultiDenseVector? other) =>
        other is not null && Dimension == other.Dimension && Values.AsSpan().SequenceEqual(other.Values);

    public override int GetHashCode() => HashCode.Combine(Dimension, Values.Length);
}

/// <summary>
/// Text to be turned into a vector by a model the server runs (the reference's <c>Document</c>): only BM25 is run
/// here. It never reaches a segment: the engine replaces it by the vector it stands for before the write or search.
/// </summary>
public sealed record DocumentVector(string Text, string Model, Payload? Options) : VectorData;
