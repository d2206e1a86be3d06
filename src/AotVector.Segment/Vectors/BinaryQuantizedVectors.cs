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
/// Binary codes of one named vector's offsets <c>[0, Count)</c>, as the reference's binary quantization. Each
/// vector becomes bits over an extended dimension, packed into 64-bit words (a row):
/// <list type="bullet">
/// <item>one bit: bit i is set when value i is positive;</item>
/// <item>two bits: from the value's z-score against its dimension's mean and standard deviation, bit i is set above
/// −⅔σ and bit n + i at or above +⅔σ (a dimension without spread falls back to the sign);</item>
/// <item>one and a half bits: bit i as two bits, and bit n + i/2 the OR of the second bits of values 2k and 2k + 1.</item>
/// </list>
/// A query is encoded the same way and scored by the number of differing bits x, or (asymmetric) quantized to 4 or
/// 8 bits per extended value between ±max|q| and scored by the weighted count of <see cref="BinaryCodes"/> over
/// 2^bits − 1. The score is <c>n − 2x</c> for every distance (greater is closer), as the reference's.
/// </summary>
/// <remarks>
/// File (<c>quant-{name}.bin</c>): a 64-byte little-endian header (magic, format, dimension, words per row, count,
/// distance, encoding, query encoding, whether statistics follow, body CRC-32C at 40, header CRC-32C at 60), then
/// the per-dimension mean and standard deviation as float pairs when the encoding uses them, then the rows.
/// </remarks>
internal sealed class BinaryQuantizedVectors : QuantizedVectors
{
    internal const uint Magic = 0x51425641; // "AVBQ"
    private const uint Format = 1;
    private const int HeaderSize = CodesFile.HeaderSize;

    // The half-width of the two-bit encoding's middle band, in standard deviations (the reference's).
    private const float Sigmas = 2f / 3f;

    private readonly CodeRows _rows;
    private readonly float[]? _means;
    private readonly float[]? _stddevs;

    private BinaryQuantizedVectors(Distance distance, int dimension, uint count, BinaryEncoding encoding, BinaryQueryEncoding queryEncoding, float[]? means, float[]? stddevs, ulong[] rows)
        : this(distance, dimension, count, encoding, queryEncoding, means, stddevs, CodeRows.Heap(rows))
    {
    }

    private BinaryQuantizedVectors(Distance distance, int dimension, uint count, BinaryEncoding encoding, BinaryQueryEncoding queryEncoding, float[]? means, float[]? stddevs, CodeRows rows)
    {
        Distance = distance;
        Dimension = dimension;
        Count = count;
        Encoding = encoding;
        QueryEncoding = queryEncoding;
        Words = WordsPerRow(dimension, encoding);
        _means = means;
        _stddevs = stddevs;
        _rows = rows;
    }

    public override Distance Distance { get; }

    public override int Dimension { get; }

    public override uint Count { get; }

    public BinaryEncoding Encoding { get; }

    public BinaryQueryEncoding QueryEncoding { get; }

    /// <summary>64-bit words per row.</summary>
    public int Words { get; }

    public override long Bytes => _rows.Length + ((_means?.Length ?? 0) * 2L * sizeof(float));

    public override MemoryPlacement Placement => _rows.Placement;

    // The rows follow the header and the statistics in the file, little-endian: mapped only where that is native.
    public override QuantizedVectors Placed(MemoryPlacement placement, string path) =>
        placement == Placement || !BitConverter.IsLittleEndian
        || _rows.Place(placement, path, HeaderSize + ((_means?.Length ?? 0) * 2L * sizeof(float))) is not { } rows
            ? this
            : new BinaryQuantizedVectors(Distance, Dimension, Count, Encoding, QueryEncoding, _means, _stddevs, rows);

    public override void Release() => _rows.Dispose();

    private ReadOnlySpan<ulong> Rows => MemoryMarshal.Cast<byte, ulong>(_rows.Span);

    public override QuantizationSettings Settings => new BinaryQuantization(Encoding, QueryEncoding);

    // The reference's default: bits alone order the hits too coarsely to show them as they are.
    public override bool RescoreByDefault => true;

    // Bits the query carries per extended value: 1 (as the codes), 4 or 8.
    private int QueryBits => QueryEncoding switch
    {
        BinaryQueryEncoding.Scalar4Bits => 4,
        BinaryQueryEncoding.Scalar8Bits => 8,
        _ => 1,
    };

    /// <summary>
    /// Encodes offsets <c>[0, vectors.Count)</c> (preprocessed as stored). The statistics of the two-bit encodings
    /// come from the offsets not flagged in <paramref name="exclude"/>; excluded offsets are encoded too (their rows
    /// are never read).
    /// </summary>
    public static BinaryQuantizedVectors Build(Distance distance, IVectorSource vectors, bool[]? exclude, BinaryEncoding encoding, BinaryQueryEncoding queryEncoding, CancellationToken ct)
    {
        var dimension = vectors.Dimension;
        var count = vectors.Count;
        float[]? means = null, stddevs = null;
        if (encoding != BinaryEncoding.OneBit)
        {
            (means, stddevs) = Statistics(distance, vectors, exclude, ct);
        }

        var words = WordsPerRow(dimension, encoding);
        var rows = new ulong[checked((int)((long)count * words))];
        var built = new BinaryQuantizedVectors(distance, dimension, count, encoding, queryEncoding, means, stddevs, rows);
        var scratch = new float[dimension];
        for (uint i = 0; i < count; i++)
        {
            if ((i & 4095) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            built.Encode(QuantizationInput.Original(vectors, i, distance, binary: true, scratch), rows.AsSpan((int)(i * (long)words), words));
        }

        return built;
    }

    /// <summary>The query encoded as <see cref="QueryEncoding"/> says: a row of codes, or the transposed 4- or 8-bit words.</summary>
    public ulong[] Prepare(ReadOnlySpan<float> query)
    {
        var bits = QueryBits;
        var encoded = new ulong[Words * bits];
        if (bits == 1)
        {
            Encode(query, encoded);
        }
        else
        {
            EncodeScalarQuery(query, encoded, bits);
        }

        return encoded;
    }

    /// <summary>A scorer for the graph walk and scans.</summary>
    public BinaryScorer Scorer(ulong[] query) => new(Rows, Words, query, QueryBits, Dimension);

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
        var statistics = Statistics();
        var body = _rows.Span;
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Format);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], Words);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Count);
        header[20] = (byte)Distance;
        header[21] = (byte)Encoding;
        header[22] = (byte)QueryEncoding;
        header[23] = statistics.Length > 0 ? (byte)1 : (byte)0;
        CodesFile.Write(path, header, statistics, body);
    }

    /// <summary>The codes in <paramref name="file"/>, the bytes of <paramref name="path"/> (see <see cref="QuantizedVectors.Open"/>).</summary>
    internal static Result<BinaryQuantizedVectors> Open(string path, byte[] file, Distance distance, int dimension)
    {
        if (CodesFile.CheckHeader(path, file, Magic, Format) is { } damaged)
        {
            return damaged;
        }

        var header = file.AsSpan(0, HeaderSize);

        var fileDimension = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var words = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var fileDistance = (Distance)header[20];
        var encoding = (BinaryEncoding)header[21];
        var queryEncoding = (BinaryQueryEncoding)header[22];
        var hasStatistics = header[23] == 1;
        if (fileDimension <= 0 || !Enum.IsDefined(encoding) || !Enum.IsDefined(queryEncoding) || words != WordsPerRow(fileDimension, encoding)
            || hasStatistics != (encoding != BinaryEncoding.OneBit))
        {
            return Damaged(path, "header fields");
        }

        var statisticsSize = hasStatistics ? fileDimension * 2 * sizeof(float) : 0;
        if (HeaderSize + statisticsSize + ((long)count * words * sizeof(ulong)) != file.Length)
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

        float[]? means = null, stddevs = null;
        if (hasStatistics)
        {
            means = new float[fileDimension];
            stddevs = new float[fileDimension];
            for (var i = 0; i < fileDimension; i++)
            {
                means[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(i * 8)..]);
                stddevs[i] = BinaryPrimitives.ReadSingleLittleEndian(body[((i * 8) + 4)..]);
            }
        }

        var rows = new ulong[count * (long)words];
        body[statisticsSize..].CopyTo(MemoryMarshal.AsBytes(rows.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(rows, rows);
        }

        return new BinaryQuantizedVectors(distance, dimension, count, encoding, queryEncoding, means, stddevs, rows);
    }

    /// <summary>Bits per vector the encoding uses (at least one).</summary>
    internal static int ExtendedDimension(int dimension, BinaryEncoding encoding) => Math.Max(1, encoding switch
    {
        BinaryEncoding.OneBit => dimension,
        BinaryEncoding.TwoBits => dimension * 2,
        BinaryEncoding.OneAndHalfBits => ((dimension * 3) + 1) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    });

    private static int WordsPerRow(int dimension, BinaryEncoding encoding) => (ExtendedDimension(dimension, encoding) + 63) / 64;

    private static AvError Damaged(string path, string what) => CodesFile.Damaged(path, what);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Set(Span<ulong> words, int bit) => words[bit >> 6] |= 1UL << (bit & 63);

    // The per-dimension mean and sample standard deviation of the live vectors (Welford, in double).
    private static (float[] Means, float[] Stddevs) Statistics(Distance distance, IVectorSource vectors, bool[]? exclude, CancellationToken ct)
    {
        var dimension = vectors.Dimension;
        var scratch = new float[dimension];
        var mean = new double[dimension];
        var m2 = new double[dimension];
        long n = 0;
        for (uint i = 0; i < vectors.Count; i++)
        {
            if (exclude is not null && i < exclude.Length && exclude[i])
            {
                continue;
            }

            if ((i & 4095) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            n++;
            var vector = QuantizationInput.Original(vectors, i, distance, binary: true, scratch);
            for (var d = 0; d < dimension; d++)
            {
                var delta = vector[d] - mean[d];
                mean[d] += delta / n;
                m2[d] += delta * (vector[d] - mean[d]);
            }
        }

        var means = new float[dimension];
        var stddevs = new float[dimension];
        for (var d = 0; d < dimension; d++)
        {
            means[d] = (float)mean[d];
            stddevs[d] = n > 1 ? (float)Math.Sqrt(m2[d] / (n - 1)) : 0f;
        }

        return (means, stddevs);
    }

    private byte[] Statistics()
    {
        if (_means is null || _stddevs is null)
        {
            return [];
        }

        var bytes = new byte[_means.Length * 2 * sizeof(float)];
        for (var i = 0; i < _means.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 8), _means[i]);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((i * 8) + 4), _stddevs[i]);
        }

        return bytes;
    }

    // The bits of one vector into `row` (cleared first).
    private void Encode(ReadOnlySpan<float> vector, Span<ulong> row)
    {
        row.Clear();
        var n = vector.Length;
        for (var i = 0; i < n; i++)
        {
            if (Encoding == BinaryEncoding.OneBit)
            {
                if (vector[i] > 0f)
                {
                    Set(row, i);
                }

                continue;
            }

            var (low, high) = TwoBits(vector[i], i);
            if (low)
            {
                Set(row, i);
            }

            if (high)
            {
                Set(row, Encoding == BinaryEncoding.TwoBits ? n + i : n + (i / 2));
            }
        }
    }

    // The two-bit code of value `i`: (above −⅔σ, at or above +⅔σ) of its dimension's z-score.
    private (bool Low, bool High) TwoBits(float value, int i)
    {
        var sd = _stddevs![i];
        if (sd < float.Epsilon)
        {
            return (value > 0f, false);
        }

        var z = (value - _means![i]) / sd;
        return z <= -Sigmas ? (false, false) : z < Sigmas ? (true, false) : (true, true);
    }

    // The query's extended values (as the codes' bits line up: the second half repeats the values, or for one and a
    // half bits takes the larger of each pair) quantized to `bits` bits between ±max|value| and stored transposed.
    private void EncodeScalarQuery(ReadOnlySpan<float> query, Span<ulong> encoded, int bits)
    {
        var n = query.Length;
        var extended = new float[Encoding switch
        {
            BinaryEncoding.OneBit => n,
            BinaryEncoding.TwoBits => n * 2,
            _ => n + ((n + 1) / 2),
        }];
        query.CopyTo(extended);
        for (var i = n; i < extended.Length; i++)
        {
            extended[i] = Encoding == BinaryEncoding.TwoBits
                ? query[i - n]
                : (2 * (i - n)) + 1 < n ? Math.Max(query[2 * (i - n)], query[(2 * (i - n)) + 1]) : query[2 * (i - n)];
        }

        var max = 0f;
        foreach (var v in extended)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        var levels = (1 << bits) - 1;
        var delta = 2 * max / levels;
        for (var j = 0; j < extended.Length; j++)
        {
            var level = delta > float.Epsilon ? (int)MathF.Round((extended[j] + max) / delta) & levels : 0;
            var word = j >> 6;
            var shift = j & 63;
            for (var b = 0; b < bits; b++)
            {
                encoded[(word * bits) + b] |= (ulong)((level >> b) & 1) << shift;
            }
        }
    }
}

/// <summary>Scores binary rows against a prepared query: <c>n − 2x</c> of the (weighted) differing bits x.</summary>
internal readonly ref struct BinaryScorer : IQueryScorer
{
    private readonly ReadOnlySpan<ulong> _rows;
    private readonly int _words;
    private readonly ReadOnlySpan<ulong> _query;
    private readonly int _bits;
    private readonly float _dimension;
    private readonly float _levels;

    public BinaryScorer(ReadOnlySpan<ulong> rows, int words, ReadOnlySpan<ulong> query, int bits, int dimension)
    {
        _rows = rows;
        _words = words;
        _query = query;
        _bits = bits;
        _dimension = dimension;
        _levels = (1 << bits) - 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(uint offset)
    {
        var row = _rows.Slice((int)offset * _words, _words);
        var differing = _bits == 1
            ? BinaryCodes.XorPopCount(row, _query)
            : BinaryCodes.XorPopCountWeighted(row, _query, _bits) / _levels;
        return _dimension - (2 * differing);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint offset) => AotVector.Kernels.Prefetch.Lines(_rows.Slice((int)offset * _words, _words), 1);
}
