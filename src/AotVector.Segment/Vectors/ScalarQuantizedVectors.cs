using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Checksums;

namespace AotVector.Segment.Vectors;

/// <summary>
/// Int8 codes of one named vector's offsets <c>[0, Count)</c>, as the reference's scalar quantization: a value v
/// is stored as <c>round((v - offset) / alpha)</c> clamped to <c>[0, 127]</c>, where offset and alpha map the
/// quantile bounds of the data onto the code range. Each row is a float correction followed by the codes padded to
/// a multiple of 16, so a similarity is one integer kernel plus <c>multiplier * sum + queryCorrection + rowCorrection</c>,
/// on the same scale as the float32 metric's raw similarity (greater is closer).
/// </summary>
/// <remarks>
/// <para>The algebra, with x = alpha·c + offset: Dot (and Cosine, whose vectors are normalized) expands to
/// alpha²·(c·d) + alpha·offset·(Σc + Σd) + n·offset², so each side carries its own Σ term and the row also the n·offset²;
/// Euclid is −alpha²·|c − d|² = 2·alpha²·(c·d) − alpha²·|c|² − alpha²·|d|²; Manhattan is −alpha·Σ|c − d|.
/// Padding encodes 0 for Dot and Cosine and the offset for Euclid and Manhattan, so it adds nothing.</para>
/// <para>File (<c>quant-{name}.bin</c>): a 64-byte little-endian header (magic, format, dimension, padded dimension,
/// count, distance, alpha, offset, multiplier, quantile, body CRC-32C, header CRC-32C), then the rows.</para>
/// </remarks>
internal sealed class ScalarQuantizedVectors : QuantizedVectors
{
    internal const uint Magic = 0x51535641; // "AVSQ"
    private const uint Format = 1;
    private const int HeaderSize = CodesFile.HeaderSize;
    private const int Alignment = 16;
    private const int CorrectionSize = sizeof(float);

    // The reference samples this many vectors to find the quantile bounds.
    private const int SampleVectors = 5_000;

    private readonly CodeRows _rows;

    private ScalarQuantizedVectors(Distance distance, int dimension, uint count, float alpha, float offset, float? quantile, byte[] rows)
        : this(distance, dimension, count, alpha, offset, quantile, CodeRows.Heap(rows))
    {
    }

    private ScalarQuantizedVectors(Distance distance, int dimension, uint count, float alpha, float offset, float? quantile, CodeRows rows)
    {
        Distance = distance;
        Dimension = dimension;
        PaddedDimension = Padded(dimension);
        Count = count;
        Alpha = alpha;
        Offset = offset;
        Quantile = quantile;
        Multiplier = distance switch
        {
            Distance.Cosine or Distance.Dot => alpha * alpha,
            Distance.Euclid => 2 * alpha * alpha,
            Distance.Manhattan => -alpha,
        };
        _rows = rows;
    }

    public override Distance Distance { get; }

    public override int Dimension { get; }

    public int PaddedDimension { get; }

    public override uint Count { get; }

    public float Alpha { get; }

    public float Offset { get; }

    public float Multiplier { get; }

    /// <summary>The quantile the bounds were taken at (null: minimum and maximum), to tell a config change.</summary>
    public float? Quantile { get; }

    public override long Bytes => _rows.Length;

    public override MemoryPlacement Placement => _rows.Placement;

    public override QuantizedVectors Placed(MemoryPlacement placement, string path) =>
        placement == Placement || _rows.Place(placement, path, HeaderSize) is not { } rows
            ? this
            : new ScalarQuantizedVectors(Distance, Dimension, Count, Alpha, Offset, Quantile, rows);

    public override void Release() => _rows.Dispose();

    public override QuantizationSettings Settings => new ScalarQuantization(Quantile);

    // The reference's default: int8 scores are close enough to order the hits as they are.
    public override bool RescoreByDefault => false;

    private int Stride => CorrectionSize + PaddedDimension;

    /// <summary>
    /// Encodes offsets <c>[0, vectors.Count)</c> (preprocessed as stored). The bounds come from the offsets not
    /// flagged in <paramref name="exclude"/>; excluded offsets are encoded too (their rows are never read).
    /// </summary>
    public static ScalarQuantizedVectors Build(Distance distance, IVectorSource vectors, bool[]? exclude, float? quantile, CancellationToken ct)
    {
        var dimension = vectors.Dimension;
        var count = vectors.Count;
        var (min, max) = Bounds(distance, vectors, exclude, quantile, ct);
        var alpha = (max - min) / Int8Codes.MaxCode;
        if (!(alpha > 0) || !float.IsFinite(alpha))
        {
            // Every value alike (or no values): any positive step encodes them all as code 0, exactly.
            alpha = 1;
        }

        var padded = Padded(dimension);
        var stride = CorrectionSize + padded;
        var rows = GC.AllocateUninitializedArray<byte>(checked((int)((long)count * stride)));
        var built = new ScalarQuantizedVectors(distance, dimension, count, alpha, min, quantile, rows);
        var scratch = new float[dimension];
        for (uint i = 0; i < count; i++)
        {
            if ((i & 4095) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var correction = built.Encode(QuantizationInput.Original(vectors, i, distance, binary: false, scratch), rows.AsSpan((int)(i * (long)stride) + CorrectionSize, padded));
            BinaryPrimitives.WriteSingleLittleEndian(rows.AsSpan((int)(i * (long)stride), CorrectionSize), correction);
        }

        return built;
    }

    /// <summary>The query encoded as the rows are, with its own correction term.</summary>
    public QuantizedQuery Prepare(ReadOnlySpan<float> query)
    {
        var codes = new byte[PaddedDimension];
        var correction = Encode(query, codes);
        if (Distance is Distance.Cosine or Distance.Dot)
        {
            // The n·offset² term is carried once, by the rows.
            correction -= PaddedDimension * Offset * Offset;
        }

        return new QuantizedQuery(codes, correction);
    }

    /// <summary>A scorer for the graph walk and scans.</summary>
    public Int8Scorer Scorer(QuantizedQuery query) => new(_rows.Span, Stride, query.Codes, query.Correction, Multiplier, Distance == Distance.Manhattan);

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
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Format);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], PaddedDimension);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Count);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], (int)Distance);
        BinaryPrimitives.WriteSingleLittleEndian(header[24..], Alpha);
        BinaryPrimitives.WriteSingleLittleEndian(header[28..], Offset);
        BinaryPrimitives.WriteSingleLittleEndian(header[32..], Multiplier);
        BinaryPrimitives.WriteSingleLittleEndian(header[36..], Quantile ?? float.NaN);
        CodesFile.Write(path, header, default, _rows.Span);
    }

    /// <summary>The codes in <paramref name="file"/>, the bytes of <paramref name="path"/> (see <see cref="QuantizedVectors.Open"/>).</summary>
    internal static Result<ScalarQuantizedVectors> Open(string path, byte[] file, Distance distance, int dimension)
    {
        if (CodesFile.CheckHeader(path, file, Magic, Format) is { } damaged)
        {
            return damaged;
        }

        var header = file.AsSpan(0, HeaderSize);

        var fileDimension = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var padded = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var fileDistance = (Distance)BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
        var alpha = BinaryPrimitives.ReadSingleLittleEndian(header[24..]);
        var offset = BinaryPrimitives.ReadSingleLittleEndian(header[28..]);
        var quantile = BinaryPrimitives.ReadSingleLittleEndian(header[36..]);
        if (fileDimension <= 0 || padded != Padded(fileDimension) || (long)count * (CorrectionSize + padded) != file.Length - HeaderSize)
        {
            return Damaged(path, "size");
        }

        if (CodesFile.CheckBody(path, file) is { } corrupt)
        {
            return corrupt;
        }

        var rows = file.AsSpan(HeaderSize).ToArray();

        if (fileDistance != distance || fileDimension != dimension)
        {
            return AvError.Internal($"{path} holds codes of another distance or dimension");
        }

        return new ScalarQuantizedVectors(distance, dimension, count, alpha, offset, float.IsNaN(quantile) ? null : quantile, rows);
    }

    private static AvError Damaged(string path, string what) => CodesFile.Damaged(path, what);

    private static int Padded(int dimension) => (dimension + Alignment - 1) / Alignment * Alignment;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte Code(float value)
    {
        var step = (value - Offset) / Alpha;
        return (byte)MathF.Round(Math.Clamp(step, 0f, Int8Codes.MaxCode));
    }

    // Codes of one vector into `codes` (padded length) and its correction term.
    private float Encode(ReadOnlySpan<float> vector, Span<byte> codes)
    {
        var dotLike = Distance is Distance.Cosine or Distance.Dot;
        for (var i = 0; i < vector.Length; i++)
        {
            codes[i] = Code(vector[i]);
        }

        codes[vector.Length..].Fill(Code(dotLike ? 0f : Offset));
        long sum = 0, squares = 0;
        foreach (var c in codes)
        {
            sum += c;
            squares += c * c;
        }

        return Distance switch
        {
            Distance.Cosine or Distance.Dot => (sum * Alpha * Offset) + (PaddedDimension * Offset * Offset),
            Distance.Euclid => -(squares * Alpha * Alpha),
            Distance.Manhattan => 0f,
        };
    }

    // The low and high bound the codes span: the data's minimum and maximum, or as the reference does with a
    // quantile below 1, the values that many places in from each end of a sample of whole vectors (the cut counts
    // sampled vectors, not values, exactly as the reference's).
    private static (float Min, float Max) Bounds(Distance distance, IVectorSource vectors, bool[]? exclude, float? quantile, CancellationToken ct)
    {
        var scratch = new float[vectors.Dimension];
        var live = new List<uint>();
        for (uint i = 0; i < vectors.Count; i++)
        {
            if (exclude is null || i >= exclude.Length || !exclude[i])
            {
                live.Add(i);
            }
        }

        if (live.Count == 0)
        {
            return (0f, 0f);
        }

        if (quantile is not { } q || q >= 1f || live.Count < Int8Codes.MaxCode)
        {
            float min = float.MaxValue, max = float.MinValue;
            foreach (var i in live)
            {
                foreach (var v in QuantizationInput.Original(vectors, i, distance, binary: false, scratch))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            return (min, max);
        }

        // A seeded sample, so the same data always gets the same codes.
        var rng = new Random(0x5eed);
        var sampled = live.Count <= SampleVectors ? live : [.. live.OrderBy(_ => rng.Next()).Take(SampleVectors)];
        var values = new float[sampled.Count * vectors.Dimension];
        for (var s = 0; s < sampled.Count; s++)
        {
            QuantizationInput.Original(vectors, sampled[s], distance, binary: false, scratch).CopyTo(values.AsSpan(s * vectors.Dimension));
        }

        ct.ThrowIfCancellationRequested();
        Array.Sort(values);
        var cut = Math.Max(1, Math.Min((values.Length - 1) / 2, (int)(sampled.Count * (1f - q) / 2f)));
        return values.Length - cut - 1 <= cut + 1 ? (values[0], values[^1]) : (values[cut + 1], values[values.Length - cut - 1]);
    }
}

/// <summary>A query's codes and correction, prepared once per search.</summary>
internal readonly record struct QuantizedQuery(byte[] Codes, float Correction);

/// <summary>Scores quantized rows against a prepared query: one integer kernel and the correction terms.</summary>
internal readonly ref struct Int8Scorer : IQueryScorer
{
    private readonly ReadOnlySpan<byte> _rows;
    private readonly int _stride;
    private readonly ReadOnlySpan<byte> _query;
    private readonly float _correction;
    private readonly float _multiplier;
    private readonly bool _manhattan;

    public Int8Scorer(ReadOnlySpan<byte> rows, int stride, ReadOnlySpan<byte> query, float correction, float multiplier, bool manhattan)
    {
        _rows = rows;
        _stride = stride;
        _query = query;
        _correction = correction;
        _multiplier = multiplier;
        _manhattan = manhattan;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(uint offset)
    {
        var row = _rows.Slice((int)offset * _stride, _stride);
        var codes = row[sizeof(float)..];
        var sum = _manhattan ? Int8Codes.L1(_query, codes) : Int8Codes.Dot(_query, codes);
        return (_multiplier * sum) + _correction + BinaryPrimitives.ReadSingleLittleEndian(row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint offset) => AotVector.Kernels.Prefetch.Lines(_rows.Slice((int)offset * _stride, _stride), 3);
}
