using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

/// <summary>
/// A graph build for one named vector, and the quantized codes that go with it, prepared under the owner's read lock and
/// run without any lock: it reads a fixed prefix of the memory-mapped vector file (which only grows) and a snapshot
/// of the deleted flags. Finish with <see cref="PointSegment.InstallIndex"/> under the write lock. A job may build the
/// codes alone, over the prefix an existing graph covers, when only the quantization config changed.
/// </summary>
/// <remarks>
/// Each file is written beside its final name with a <c>.tmp</c> suffix and renamed only at install, so a process
/// killed during the build leaves no half file that an open would use (open ignores the temporary names).
/// </remarks>
public sealed class IndexBuildJob
{
    private readonly IVectorSource _source;
    private readonly bool[] _exclude;
    private readonly HnswParameters _parameters;
    private readonly QuantizationSettings? _quantization;

    internal IndexBuildJob(VectorColumn column, IVectorSource source, bool[] exclude, HnswParameters parameters, string targetPath, bool buildGraph, QuantizationSettings? quantization, string quantizedPath)
    {
        Column = column;
        _source = source;
        _exclude = exclude;
        _parameters = parameters;
        TargetPath = targetPath;
        BuildsGraph = buildGraph;
        _quantization = quantization;
        QuantizedPath = quantizedPath;
    }

    public string VectorName => Column.Name;

    /// <summary>How many offsets the graph (or the codes) will cover.</summary>
    public uint Count => _source.Count;

    /// <summary>False when the job builds only the codes, for the graph already in service.</summary>
    public bool BuildsGraph { get; }

    /// <summary>Whether the job builds quantized codes (with or without a graph).</summary>
    public bool BuildsQuantized => _quantization is not null;

    internal VectorColumn Column { get; }

    internal string TargetPath { get; }

    internal string QuantizedPath { get; }

    internal IHnswIndex? Result { get; private set; }

    /// <summary>The payload blocks to link (live points with the vector, below <see cref="Count"/>), with the sub-graphs' parameters.</summary>
    internal IReadOnlyList<Index.Payloads.PayloadBlock> PayloadBlocks { get; init; } = [];

    internal HnswParameters PayloadParameters { get; init; }

    /// <summary>The full-scan threshold in vectors: smaller blocks get no links.</summary>
    internal int FullScanThreshold { get; init; }

    internal QuantizedVectors? QuantizedResult { get; private set; }

    /// <summary>
    /// Builds the graph on <paramref name="threads"/> threads, saves it beside the vectors (not yet in use) and
    /// reopens the saved file, so the graph in service is the memory-mapped file (page cache, reclaimable) rather
    /// than the build's heap arrays, exactly as after a restart. Then encodes the codes when the config asks.
    /// </summary>
    public void Run(int threads, CancellationToken ct)
    {
        if (BuildsGraph)
        {
            var path = TargetPath + ".tmp";
            using (var built = HnswIndex.Build(Column.Distance, Column.IsMulti, _source, _parameters, threads, _exclude, ct))
            {
                if (PayloadBlocks.Count > 0 && !Column.IsMulti)
                {
                    built.AttachPayloadLinks(PayloadLinksBuilder.Build(built, Column.IsMulti, _source, PayloadBlocks, PayloadParameters, FullScanThreshold, threads, ct));
                }

                built.Save(path);
            }

            var opened = HnswIndex.Open(path, Column.Distance, _source, Column.IsMulti);
            if (!opened.TryGet(out var graph, out var error))
            {
                throw new InvalidDataException("The graph just saved does not reopen: " + error.Message);
            }

            Result = graph;
        }

        if (_quantization is { } quantization)
        {
            var codes = QuantizedVectors.Build(quantization, Column.Distance, _source, _exclude, ct);
            codes.Save(QuantizedPath + ".tmp");
            QuantizedResult = codes;
        }
    }

    /// <summary>Releases a built graph that will not be installed.</summary>
    public void Abandon()
    {
        Result?.Dispose();
        Result = null;
        QuantizedResult = null;
        try
        {
            File.Delete(TargetPath + ".tmp");
            File.Delete(QuantizedPath + ".tmp");
        }
        catch (IOException)
        {
        }
    }
}
