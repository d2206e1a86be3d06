using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Checksums;

namespace AotVector.Segment.Vectors;

/// <summary>
/// Product-quantized codes of one named vector's offsets <c>[0, Count)</c>, as the reference's product quantization:
/// the vector is cut into chunks of <see cref="ProductCompression"/>'s size, and each chunk is stored as the byte
/// index of its nearest centroid in <see cref="ProductCodebook"/>. A query becomes a lookup table of its chunks'
/// similarities to every centroid; a row's score is the sum of its codes' entries (<see cref="ProductCodes"/>), on
/// the float32 metric's raw scale (greater is closer).
/// </summary>
/// <remarks>
/// File (<c>quant-{name}.bin</c>): a 64-byte little-endian header (magic, format, dimension, chunk size, count,
/// distance, compression, body CRC-32C at 40, header CRC-32C at 60), then the codebook (dimension × 256 floats,
/// transposed), then the rows of one byte per chunk.
/// </remarks>
internal sealed class ProductQuantizedVectors : QuantizedVectors
{
    internal const uint Magic = 0x51505641; // "AVPQ"
    private const uint Format = 1;
    private const int HeaderSize = CodesFile.HeaderSize;

    private readonly ProductCodebook _codebook;
    private readonly CodeRows _rows;

    private ProductQuantizedVectors(Distance distance, uint count, ProductCompression compression, ProductCodebook codebook, byte[] rows)
        : this(distance, count, compression, codebook, CodeRows.Heap(rows))
    {
    }

    private ProductQuantizedVectors(Distance distance, uint count, ProductCompression compression, ProductCodebook codebook, CodeRows rows)
    {
        Distance = distance;
        Count = count;
        Compression = compression;
        _codebook = codebook;
        _rows = rows;
    }

    public override Distance Distance { get; }

    public override int Dimension => _codebook.Dimension;

    public override uint Count { get; }

    public ProductCompression Compression { get; }

    /// <summary>Bytes per row: one per chunk.</summary>
    public int Chunks => _codebook.Chunks;

    public override long Bytes => _rows.Length + ((long)_codebook.Values.Length * sizeof(float));

    public override MemoryPlacement Placement => _rows.Placement;

    // The rows follow the codebook in the file; the codebook itself is small and stays on the heap.
    public override QuantizedVectors Placed(MemoryPlacement placement, string path) =>
        placement == Placement || !BitConverter.IsLittleEndian
            || _rows.Place(placement, path, HeaderSize + ((long)_codebook.Values.Length * sizeof(float))) is not { } rows
            ? this
            : new ProductQuantizedVectors(Distance, Count, Compression, _codebook, rows);

    public override void Release() => _rows.Dispose();

    public override QuantizationSettings Settings => new ProductQuantization(Compression);

    // The reference's default for product quantization.
    public override bool RescoreByDefault => false;

    /// <summary>
    /// Trains the codebook on the offsets not flagged in <paramref name="exclude"/> and encodes offsets
    /// <c>[0, vectors.Count)</c> (preprocessed as stored; excluded rows are encoded too and never read).
    /// </summary>
    public static ProductQuantizedVectors Build(Distance distance, IVectorSource vectors, bool[]? exclude, ProductCompression compression, CancellationToken ct)
    {
        var codebook = ProductCodebook.Train(vectors, distance, exclude, compression.ChunkSize(), ct);
        var chunks = codebook.Chunks;
        var rows = GC.AllocateUninitializedArray<byte>(checked((int)((long)vectors.Count * chunks)));
        var scratch = new float[vectors.Dimension];
        for (uint i = 0; i < vectors.Count; i++)
        {
            if ((i & 4095) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            codebook.Encode(QuantizationInput.Original(vectors, i, distance, binary: false, scratch), rows.AsSpan((int)(i * (long)chunks), chunks));
        }

        return new ProductQuantizedVectors(distance, vectors.Count, compression, codebook, rows);
    }

    /// <summary>The codebook the rows index (tests).</summary>
    internal ProductCodebook Codebook => _codebook;

    /// <summary>The codes of one row (tests).</summary>
    internal ReadOnlySpan<byte> Row(uint offset) => _rows.Span.Slice((int)(offset * (long)Chunks), Chunks);

    /// <summary>The query's lookup table.</summary>
    public float[] Prepare(ReadOnlySpan<float> query) => _codebook.LookupTable(query, Distance);

    /// <summary>A scorer for the graph walk and scans.</summary>
    public ProductScorer Scorer(float[] table) => new(_rows.Span, Chunks, table);

    public override int SearchGraph<TFilter>(IHnswIndex graph, ReadOnlySpan<float> query, int k, int ef, TFilter filter, Span<ScoredOffset> results, CancellationToken ct, bool acorn = false, bool linked = false)
    {
        var scorer = Scorer(Prepare(query));
        return graph.Search(ref scorer, Count, k, ef, filter, default, results, ct, acorn, linked);
    }

    public override void Score(ReadOnlySpan<float> query, ReadOnlySpan<uint> offsets, Span<float> scores)
    {
        var scorer = Scorer(Prepare(query));
        for (var i = 0; i < offsets.Length; i++)
        {
            scores[i] = scorer.Score(offsets[i]);
        }
    }

    public override void Save(string path)
    {
        var codebook = MemoryMarshal.AsBytes(_codebook.Values);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("product-quantized codes are written little-endian");
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Format);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], _codebook.ChunkSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Count);
        header[20] = (byte)Distance;
        header[21] = (byte)Compression;
        CodesFile.Write(path, header, codebook, _rows.Span);
    }

    /// <summary>The codes in <paramref name="file"/>, the bytes of <paramref name="path"/> (see <see cref="QuantizedVectors.Open"/>).</summary>
    internal static Result<ProductQuantizedVectors> Open(string path, byte[] file, Distance distance, int dimension)
    {
        if (CodesFile.CheckHeader(path, file, Magic, Format) is { } damaged)
        {
            return damaged;
        }

        var header = file.AsSpan(0, HeaderSize);

        var fileDimension = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var chunkSize = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var fileDistance = (Distance)header[20];
        var compression = (ProductCompression)header[21];
        if (fileDimension <= 0 || !Enum.IsDefined(compression) || chunkSize != compression.ChunkSize())
        {
            return Damaged(path, "header fields");
        }

        var chunks = (fileDimension + chunkSize - 1) / chunkSize;
        var codebookSize = (long)fileDimension * ProductCodebook.Centroids * sizeof(float);
        if (HeaderSize + codebookSize + ((long)count * chunks) != file.Length)
        {
            return Damaged(path, "size");
        }

        if (CodesFile.CheckBody(path, file) is { } corrupt)
        {
            return corrupt;
        }

        var body = file.AsSpan(HeaderSize);

        if (fileDistance != distance || fileDimension != dimension)
        {
            return AvError.Internal($"{path} holds codes of another distance or dimension");
        }

        var values = new float[fileDimension * ProductCodebook.Centroids];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * sizeof(float))..]);
        }

        var rows = body[(int)codebookSize..].ToArray();
        return new ProductQuantizedVectors(distance, count, compression, new ProductCodebook(fileDimension, chunkSize, values), rows);
    }

    private static AvError Damaged(string path, string what) => CodesFile.Damaged(path, what);
}

/// <summary>Scores product-quantized rows against a query's lookup table.</summary>
internal readonly ref struct ProductScorer : IQueryScorer
{
    private readonly ReadOnlySpan<byte> _rows;
    private readonly int _chunks;
    private readonly ReadOnlySpan<float> _table;

    public ProductScorer(ReadOnlySpan<byte> rows, int chunks, ReadOnlySpan<float> table)
    {
        _rows = rows;
        _chunks = chunks;
        _table = table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(uint offset) => ProductCodes.Score(_rows.Slice((int)offset * _chunks, _chunks), _table);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint offset) => AotVector.Kernels.Prefetch.Lines(_rows.Slice((int)offset * _chunks, _chunks), 1);
}
