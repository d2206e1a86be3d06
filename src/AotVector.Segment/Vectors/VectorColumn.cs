using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Segment.Index.Hnsw;
using AotVector.Storage.Vectors;

namespace AotVector.Segment.Vectors;

/// <summary>
/// One named vector of a segment: the memory-mapped <see cref="VectorFile"/> of preprocessed vectors by offset
/// (values of the spec's <see cref="VectorDatatype"/>), which offsets currently have this vector, and the HNSW graph
/// over them once one is built.
/// </summary>
/// <remarks>
/// The graph covers offsets <c>[0, Graph.Count)</c> as they were when its build started. A vector rewritten in
/// place after that is "stale" in the graph: its links were chosen for the old value. Stale offsets are still
/// scored correctly when the graph reaches them (scores read the current vector), and search also scans them
/// exactly, so an update never hides a point.
/// </remarks>
internal sealed partial class VectorColumn : IDisposable
{
    private readonly VectorFile _file;
    private readonly List<bool> _present = [];
    private readonly float[] _scratch;
    private readonly byte[] _record;
    private HashSet<uint> _stale = [];
    private HashSet<uint>? _staleForBuild;
    private uint _buildCount;

    public VectorColumn(string name, VectorSpec spec, VectorFile file, VectorFile? rowTable = null)
    {
        Name = name;
        Spec = spec;
        _file = file;
        _rowTable = rowTable;
        _scratch = new float[spec.Dimension];
        _record = new byte[file.RecordBytes];
    }

    public string Name { get; }

    public VectorSpec Spec { get; }

    public int Dimension => Spec.Dimension;

    public Distance Distance => Spec.Distance;

    public VectorDatatype Datatype => Spec.Datatype;

    public ulong PresentCount { get; private set; }

    /// <summary>Offsets stored in the file (vectors at or beyond this were never written).</summary>
    public uint StoredCount => _rowTable?.Count ?? _file.Count;

    public bool Has(uint offset) => offset < _present.Count && _present[(int)offset];

    /// <summary>The graph over this vector, or null before the first build and after the graph is dropped.</summary>
    public IHnswIndex? Graph { get; private set; }

    /// <summary>Offsets inside the graph whose vector changed after the graph was built.</summary>
    public IReadOnlyCollection<uint> Stale => _stale;

    /// <summary>
    /// Int8 codes of offsets <c>[0, Graph.Count)</c>, built with or after the graph, or null. Codes of stale offsets
    /// are as old as the graph's links for them, so searches score those offsets from their float32 vectors.
    /// </summary>
    public QuantizedVectors? Quantized { get; private set; }

    public bool IsStale(uint offset) => _stale.Contains(offset);

    /// <summary>Swaps in new codes, or none (caller excludes searches).</summary>
    public void InstallQuantized(QuantizedVectors? codes)
    {
        if (!ReferenceEquals(Quantized, codes))
        {
            Quantized?.Release();
        }

        Quantized = codes;
    }

    internal VectorFile File => _file;

    /// <summary>Starts tracking in-place rewrites below <paramref name="count"/> for a graph being built now.</summary>
    public void BeginBuild(uint count)
    {
        _buildCount = count;
        _staleForBuild = [];
    }

    /// <summary>Swaps in a finished graph (caller excludes searches); the previous one is released.</summary>
    public void InstallGraph(IHnswIndex graph)
    {
        Graph?.Dispose();
        Graph = graph;
        ScanCodes?.Trim(graph.Count);
        _stale = _staleForBuild ?? [];
        _staleForBuild = null;
    }

    /// <summary>Takes the graph out of service and releases it (caller excludes searches); search is then exact.</summary>
    public void RemoveGraph()
    {
        Graph?.Dispose();
        Graph = null;
        InstallQuantized(null);
        _stale = [];
        if (ScanCodes is not null)
        {
            ScanCodes = null;
            EnableScanCodes(); // every offset is scanned again
        }
    }

    /// <summary>Adopts a graph loaded from disk at open, with the offsets rewritten since it was built (persisted by the segment).</summary>
    public void AdoptGraph(IHnswIndex graph, IEnumerable<uint> stale)
    {
        Graph?.Dispose();
        Graph = graph;
        _stale = [.. stale.Where(o => o < graph.Count)];
        ScanCodes?.Trim(graph.Count);
    }

    /// <summary>
    /// Offsets to persist as stale: rewrites the installed graph missed, plus those a running build will miss,
    /// so whichever graph is on disk after a crash knows at least its own stale offsets.
    /// </summary>
    public IEnumerable<uint> StaleToPersist() => _staleForBuild is null ? _stale : _stale.Union(_staleForBuild);

    /// <summary>Whether <paramref name="offset"/> is among <see cref="StaleToPersist"/>.</summary>
    public bool IsStaleToPersist(uint offset) => _stale.Contains(offset) || (_staleForBuild?.Contains(offset) ?? false);

    /// <summary>Preprocesses a copy of <paramref name="vector"/> (the caller's array is untouched), converts it to the datatype and stores it.</summary>
    public void Set(uint offset, ReadOnlySpan<float> vector)
    {
        vector.CopyTo(_scratch);
        VectorCodec.Preprocess(Distance, Datatype, _scratch);
        VectorCodec.Encode(Datatype, _scratch, _record);
        SetRecord(offset, _record);
    }

    /// <summary>Stores an already preprocessed and converted vector (a copy from another segment's column of the same spec).</summary>
    public void SetRecord(uint offset, ReadOnlySpan<byte> record)
    {
        var rewritten = Has(offset);
        _file.SetRecord(offset, record);
        SetPresent(offset, true);
        MarkRewritten(offset);
        if (rewritten)
        {
            ScanCodes?.Write(offset, Get(offset), StoredOrNone);
        }
    }

    /// <summary>
    /// Int8 codes of the offsets past the graph (all of them without one), written with each vector, for exact scans
    /// of points not indexed yet; null unless <see cref="EnableScanCodes"/> was called.
    /// </summary>
    public ScanCodes? ScanCodes { get; private set; }

    /// <summary>
    /// Starts keeping <see cref="ScanCodes"/> (single float32 vectors only), coding the vectors already stored past
    /// the graph. Returns whether the column has them. Caller excludes searches.
    /// </summary>
    public bool EnableScanCodes()
    {
        if (IsMulti || Datatype != VectorDatatype.Float32)
        {
            return false;
        }

        if (ScanCodes is null)
        {
            var codes = new ScanCodes(Distance, Dimension, Graph?.Count ?? 0);
            for (var offset = codes.First; offset < Math.Min(StoredCount, (uint)_present.Count); offset++)
            {
                if (Has(offset))
                {
                    codes.Write(offset, Get(offset), StoredOrNone);
                }
            }

            ScanCodes = codes;
        }

        return true;
    }

    /// <summary>Releases <see cref="ScanCodes"/> (caller excludes searches).</summary>
    public void DisableScanCodes() => ScanCodes = null;

    private ReadOnlySpan<float> StoredOrNone(uint offset) => Has(offset) && offset < StoredCount ? Get(offset) : default;

    /// <summary>
    /// <paramref name="query"/> (preprocessed as <see cref="VectorCodec.Preprocess"/>) as a record of the datatype, as
    /// searches compare it: the float32 query's own bytes, or a converted copy.
    /// </summary>
    public ReadOnlySpan<byte> EncodeQuery(ReadOnlySpan<float> query)
    {
        if (Datatype == VectorDatatype.Float32)
        {
            return System.Runtime.InteropServices.MemoryMarshal.AsBytes(query);
        }

        var record = new byte[VectorCodec.RecordBytes(Datatype, query.Length)];
        VectorCodec.Encode(Datatype, query, record);
        return record;
    }

    // A graph covering the offset (installed or being built) chose its links for the old value.
    private void MarkRewritten(uint offset)
    {
        if (Graph is { } graph && offset < graph.Count)
        {
            _stale.Add(offset);
        }

        if (_staleForBuild is not null && offset < _buildCount)
        {
            _staleForBuild.Add(offset);
        }
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
            if (present && !IsMulti && offset < StoredCount)
            {
                ScanCodes?.Write(offset, Get(offset), StoredOrNone);
            }
        }
    }

    /// <summary>The stored vector of <paramref name="offset"/> (float32 columns only).</summary>
    public ReadOnlySpan<float> Get(uint offset) => _file.Get(offset);

    /// <summary>The stored bytes of <paramref name="offset"/>'s vector, values of the datatype.</summary>
    public ReadOnlySpan<byte> GetRecord(uint offset) => _file.GetRecord(offset);

    /// <summary>Records <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1, back to back.</summary>
    public ReadOnlySpan<byte> GetRecords(uint first, int count) => _file.GetRecords(first, count);

    /// <summary>Bytes of one stored vector.</summary>
    public int RecordBytes => _file.RecordBytes;

    public void Flush()
    {
        // Rows before the table that points at them.
        _file.Flush();
        _rowTable?.Flush();
    }

    /// <summary>Readies the file's pages for <paramref name="count"/> more vectors (no data changes).</summary>
    public void PrefaultAppend(int count) => _file.PrefaultAppend(count);

    public void ReserveAppend(int count) => _file.ReserveAppend(count);

    public void Dispose()
    {
        Graph?.Dispose();
        Quantized?.Release();
        _file.Dispose();
        _rowTable?.Dispose();
    }
}
