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
    private readonly VectorFileSource _source;
    private readonly bool[] _exclude;
    private readonly HnswParameters _parameters;

    internal IndexBuildJob(VectorColumn column, VectorFileSource source, bool[] exclude, HnswParameters parameters, string targetPath)
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

    /// <summary>Builds the graph on <paramref name="threads"/> threads and saves it beside the vectors (not yet in use).</summary>
    public void Run(int threads, CancellationToken ct)
    {
        var graph = HnswIndex.Build(Column.Distance, _source, _parameters, threads, _exclude, ct);
        try
        {
            graph.Save(TargetPath + ".tmp");
        }
        catch
        {
            graph.Dispose();
            throw;
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
