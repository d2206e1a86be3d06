using System.Runtime.CompilerServices;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;

namespace AotVector.Segment.Vectors;

/// <summary>
/// Int8 codes of the offsets of a float32 column that no graph covers yet (<c>[First, End)</c>), kept in memory and
/// written with each vector, so an exact scan of points not indexed yet reads a quarter of the bytes and scores them
/// with the integer kernel; the best candidates are then rescored with their float32 vectors, so the answer's scores
/// are always exact. Codes are never persisted: they are rebuilt from the vectors when a segment is opened.
/// </summary>
/// <remarks>
/// <para>A value v is coded <c>round((v - offset) / alpha)</c> clamped to <c>[0, 127]</c>, with offset and alpha
/// spanning the smallest and largest value seen. The bounds are taken again from every coded vector each time the
/// count doubles (and all rows re-encoded), so early points cannot fix bounds that later ones exceed for long, at an
/// amortized constant cost per write.</para>
/// <para>Scores only order candidates: for Euclid <c>2·c·q − |c|²</c>, for Dot and Cosine <c>alpha·c·q + offset·Σc</c>,
/// for Manhattan <c>−Σ|c − q|</c>; the terms that depend on the query alone are left out.</para>
/// <para>Callers serialize writes with searches (the owner's write lock), as for the vectors themselves.</para>
/// </remarks>
internal sealed class ScanCodes
{
    private const int Alignment = 16;

    private readonly Distance _distance;
    private readonly int _dimension;
    private readonly int _padded;
    private byte[] _rows = [];
    private float[] _rowTerms = [];
    private uint _capacity;
    private float _min = float.MaxValue;
    private float _max = float.MinValue;
    private float _alpha = 1;
    private float _offset;
    private uint _calibratedAt;

    public ScanCodes(Distance distance, int dimension, uint first)
    {
        _distance = distance;
        _dimension = dimension;
        _padded = (dimension + Alignment - 1) / Alignment * Alignment;
        First = first;
        End = first;
    }

    /// <summary>The first offset with a row (those below are covered by the graph).</summary>
    public uint First { get; private set; }

    /// <summary>One past the last offset with a row.</summary>
    public uint End { get; private set; }

    /// <summary>Bytes held (tests and reports).</summary>
    public long Bytes => _rows.LongLength + (_rowTerms.LongLength * sizeof(float));

    /// <summary>Whether <paramref name="offset"/> has a row.</summary>
    public bool Covers(uint offset) => offset >= First && offset < End;

    /// <summary>Codes the stored vector of <paramref name="offset"/> (at or past <see cref="First"/>).</summary>
    /// <param name="stored">Reads a stored vector, to re-encode every row when the bounds are taken again.</param>
    public void Write(uint offset, ReadOnlySpan<float> vector, Func<uint, ReadOnlySpan<float>> stored)
    {
        if (offset < First)
        {
            return;
        }

        foreach (var v in vector)
        {
            if (float.IsFinite(v))
            {
                _min = Math.Min(_min, v);
                _max = Math.Max(_max, v);
            }
        }

        if (offset >= End)
        {
            Grow(offset + 1);
            End = offset + 1;
        }

        var count = End - First;
        // Out-of-bounds values recalibrate only after some growth, so data whose range keeps widening costs an
        // amortized constant per write too; until then they are coded clamped.
        if (_calibratedAt == 0 || count >= 2 * _calibratedAt || (count >= _calibratedAt + Math.Max(1, _calibratedAt / 8) && OutOfBounds(vector)))
        {
            Calibrate(stored);
            return;
        }

        Encode(offset, vector);
    }

    /// <summary>Drops the rows below <paramref name="covered"/>, now covered by a graph.</summary>
    public void Trim(uint covered)
    {
        if (covered <= First)
        {
            return;
        }

        var keep = End > covered ? End - covered : 0;
        var rows = new byte[keep * (long)_padded];
        var terms = new float[keep];
        if (keep > 0)
        {
            _rows.AsSpan((int)((covered - First) * (long)_padded), (int)(keep * (long)_padded)).CopyTo(rows);
            _rowTerms.AsSpan((int)(covered - First), (int)keep).CopyTo(terms);
        }

        _rows = rows;
        _rowTerms = terms;
        _capacity = keep;
        First = covered;
        End = Math.Max(End, covered);
    }

    /// <summary>The query coded as the rows are (a scan prepares it once).</summary>
    public byte[] Prepare(ReadOnlySpan<float> query)
    {
        var codes = new byte[_padded];
        for (var i = 0; i < query.Length; i++)
        {
            codes[i] = Code(query[i]);
        }

        codes.AsSpan(query.Length).Fill(PadCode);
        return codes;
    }

    /// <summary>The candidate order of <paramref name="offset"/> for a query from <see cref="Prepare"/>: greater is closer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(ReadOnlySpan<byte> query, uint offset)
    {
        var index = offset - First;
        var row = new ReadOnlySpan<byte>(_rows, (int)(index * (long)_padded), _padded);
        return _distance switch
        {
            Distance.Euclid => (2f * Int8Codes.Dot(query, row)) - _rowTerms[index],
            Distance.Manhattan => -Int8Codes.L1(query, row),
            _ => (_alpha * Int8Codes.Dot(query, row)) + _rowTerms[index],
        };
    }

    /// <summary>Hints the row of <paramref name="offset"/> into the cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint offset)
    {
        if (Covers(offset))
        {
            AotVector.Kernels.Prefetch.Lines(new ReadOnlySpan<byte>(_rows, (int)((offset - First) * (long)_padded), _padded), Math.Min(16, (_padded + 63) / 64));
        }
    }

    // The padding adds nothing: 0 for the dot products, the offset's own code (0) for the distances.
    private byte PadCode => _distance is Distance.Dot or Distance.Cosine ? Code(0f) : (byte)0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte Code(float value)
    {
        var step = (value - _offset) / _alpha;
        return float.IsNaN(step) ? (byte)0 : (byte)MathF.Round(Math.Clamp(step, 0f, Int8Codes.MaxCode));
    }

    // A value past the bounds the rows were coded with: the new bounds are taken at once, or the point would be
    // coded clamped (and could drop out of the candidates) until the count doubles.
    private bool OutOfBounds(ReadOnlySpan<float> vector)
    {
        var low = _offset - (_alpha / 2);
        var high = _offset + (_alpha * (Int8Codes.MaxCode + 0.5f));
        foreach (var v in vector)
        {
            if (v < low || v > high)
            {
                return true;
            }
        }

        return false;
    }

    private void Calibrate(Func<uint, ReadOnlySpan<float>> stored)
    {
        _offset = _min <= _max ? _min : 0f;
        _alpha = _min < _max ? (_max - _min) / Int8Codes.MaxCode : 1f;
        if (!(_alpha > 0) || !float.IsFinite(_alpha))
        {
            _alpha = 1;
        }

        _calibratedAt = End - First;
        for (var offset = First; offset < End; offset++)
        {
            Encode(offset, stored(offset));
        }
    }

    private void Encode(uint offset, ReadOnlySpan<float> vector)
    {
        var index = offset - First;
        var row = _rows.AsSpan((int)(index * (long)_padded), _padded);
        if (vector.Length != _dimension)
        {
            row.Clear();
            _rowTerms[index] = float.NegativeInfinity;
            return;
        }

        long sum = 0, squares = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var c = Code(vector[i]);
            row[i] = c;
            sum += c;
            squares += c * c;
        }

        var pad = PadCode;
        row[vector.Length..].Fill(pad);
        sum += pad * (long)(_padded - vector.Length);
        _rowTerms[index] = _distance switch
        {
            Distance.Euclid => squares,
            Distance.Manhattan => 0f,
            _ => _offset * sum,
        };
    }

    private void Grow(uint end)
    {
        var needed = end - First;
        if (needed <= _capacity)
        {
            return;
        }

        var capacity = Math.Max(needed, Math.Max(256, _capacity * 2));
        var rows = new byte[capacity * (long)_padded];
        var terms = new float[capacity];
        _rows.AsSpan().CopyTo(rows);
        _rowTerms.AsSpan().CopyTo(terms);
        _rows = rows;
        _rowTerms = terms;
        _capacity = capacity;
    }
}
