using System.Buffers.Binary;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Segment.Index.Hnsw;

namespace AotVector.Segment.Vectors;

/// <summary>
/// Quantized codes of one named vector's offsets <c>[0, Count)</c>, of any kind: the graph walk and small scans
/// score by them instead of the float32 vectors. Scores are on each kind's own scale, greater is closer; a
/// segment's hits by codes are compared only with each other before rescoring.
/// </summary>
/// <remarks>Each kind's file starts with its own magic, so <see cref="Open"/> tells them apart.</remarks>
internal abstract class QuantizedVectors
{
    public abstract Distance Distance { get; }

    public abstract int Dimension { get; }

    public abstract uint Count { get; }

    /// <summary>Bytes held in memory.</summary>
    public abstract long Bytes { get; }

    /// <summary>The config the codes were built under, as far as it shapes them.</summary>
    public abstract QuantizationSettings Settings { get; }

    /// <summary>The reference's default for rescoring with these codes when the request does not say.</summary>
    public abstract bool RescoreByDefault { get; }

    /// <summary>Builds the codes <paramref name="settings"/> asks for over offsets <c>[0, vectors.Count)</c>.</summary>
    public static QuantizedVectors Build(QuantizationSettings settings, Distance distance, IVectorSource vectors, bool[]? exclude, CancellationToken ct) => settings switch
    {
        ScalarQuantization scalar => ScalarQuantizedVectors.Build(distance, vectors, exclude, scalar.Quantile, ct),
        BinaryQuantization binary => BinaryQuantizedVectors.Build(distance, vectors, exclude, binary.Encoding, binary.QueryEncoding, ct),
        ProductQuantization product => ProductQuantizedVectors.Build(distance, vectors, exclude, product.Compression, ct),
        _ => throw new ArgumentException("Unknown quantization " + settings.GetType().Name, nameof(settings)),
    };

    /// <summary>
    /// Reads a file written by <see cref="Save"/>, of whichever kind its magic says. DataLoss when it is damaged,
    /// Internal when it was built for another distance or dimension.
    /// </summary>
    public static Result<QuantizedVectors> Open(string path, Distance distance, int dimension)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return AvError.NotFound("no quantized vectors at " + path);
        }

        if (file.Length < sizeof(uint))
        {
            return new AvError(ErrorKind.DataLoss, $"{path} is damaged (shorter than its magic)");
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        return magic switch
        {
            ScalarQuantizedVectors.Magic => Widen(ScalarQuantizedVectors.Open(path, file, distance, dimension)),
            BinaryQuantizedVectors.Magic => Widen(BinaryQuantizedVectors.Open(path, file, distance, dimension)),
            ProductQuantizedVectors.Magic => Widen(ProductQuantizedVectors.Open(path, file, distance, dimension)),
            _ => new AvError(ErrorKind.DataLoss, $"{path} is damaged (unknown magic)"),
        };
    }

    /// <summary>Where the codes are held (<see cref="MemoryPlacement.Pinned"/>: on the heap, as built or read).</summary>
    public virtual MemoryPlacement Placement => MemoryPlacement.Pinned;

    /// <summary>
    /// The same codes held as <paramref name="placement"/> says, mapped from <paramref name="path"/> (the file <see cref="Save"/>
    /// wrote) when cold or cached; this instance when they already are, or when this kind or that file cannot be placed so.
    /// The caller keeps searches off both while it swaps them, then <see cref="Release"/>s the one it drops.
    /// </summary>
    public virtual QuantizedVectors Placed(MemoryPlacement placement, string path) => this;

    /// <summary>Unmaps the codes file when the codes are mapped (no search may use them afterwards).</summary>
    public virtual void Release()
    {
    }

    /// <summary>Writes the file to <paramref name="path"/> and flushes it to disk (the caller renames it into place).</summary>
    public abstract void Save(string path);

    /// <summary>
    /// The graph's walk scored by these codes (they must cover the graph's offsets); see
    /// <see cref="IHnswIndex.Search{TScorer, TFilter}"/>.
    /// </summary>
    public abstract int SearchGraph<TFilter>(IHnswIndex graph, ReadOnlySpan<float> query, int k, int ef, TFilter filter, Span<ScoredOffset> results, CancellationToken ct, bool acorn = false, bool linked = false)
        where TFilter : struct, IOffsetFilter;

    /// <summary>Scores each of <paramref name="offsets"/> (all below <see cref="Count"/>) against the query into <paramref name="scores"/>.</summary>
    public abstract void Score(ReadOnlySpan<float> query, ReadOnlySpan<uint> offsets, Span<float> scores);

    private static Result<QuantizedVectors> Widen<T>(Result<T> result)
        where T : QuantizedVectors
        => result.TryGet(out var codes, out var error) ? codes : error;
}
