using AotVector.Segment.Index.Hnsw;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

/// <summary>
/// A graph build for one named vector, prepared under the owner's read lock and run without any lock: it reads
/// a fixed prefix of the memory-mapped vector file (which only grows) and a snapshot of the deleted flags.
/// Finish with <see cref="PointSegment.InstallIndex"/> under the write lock.
/// </summary>
public sealed class IndexBuildJob
{
    private readonly IVectorSource _source;
    private readonly bool[] _exclude;
    private readonly HnswParameters _parameters;

    internal IndexBuildJob(VectorColumn column, IVectorSource source, bool[] exclude, HnswParameters parameters, string targetPath)
    {
        Column = column;
        _source = source;
        _exclude = exclude;
        _parameters = parameters;
        TargetPath = targetPath;
    }

    public string VectorName => Column.Name;

    /// <summary>How many offsets the graph will cover.</summary>
    public uint Count => _source.Count;

    internal VectorColumn Column { get; }

    internal string TargetPath { get; }

    internal IHnswIndex? Result { get; private set; }

    /// <summary>
    /// Builds the graph on <paramref name="threads"/> threads, saves it beside the vectors (not yet in use) and
    /// reopens the saved file, so the graph in service is the memory-mapped file (page cache, reclaimable) rather
    /// than the build's heap arrays, exactly as after a restart.
    /// </summary>
    public void Run(int threads, CancellationToken ct)
    {
        var path = TargetPath + ".tmp";
        using (var built = HnswIndex.Build(Column.Distance, Column.IsMulti, _source, _parameters, threads, _exclude, ct))
        {
            built.Save(path);
        }

        var opened = HnswIndex.Open(path, Column.Distance, _source, Column.IsMulti);
        if (!opened.TryGet(out var graph, out var error))
        {
            throw new InvalidDataException("The graph just saved does not reopen: " + error.Message);
        }

        Result = graph;
    }

    /// <summary>Releases a built graph that will not be installed.</summary>
    public void Abandon()
    {
        Result?.Dispose();
        Result = null;
        try
        {
            File.Delete(TargetPath + ".tmp");
        }
        catch (IOException)
        {
        }
    }
}
