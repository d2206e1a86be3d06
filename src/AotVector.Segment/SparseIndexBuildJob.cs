using AotVector.Common.Model;
using AotVector.Segment.Index.Sparse;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

/// <summary>
/// The build of one sparse vector's inverted index file, prepared under the owner's read lock (a snapshot of the
/// vectors, which are never changed in place) and run without any lock. Finish with
/// <see cref="PointSegment.InstallSparseIndex"/> under the write lock, or <see cref="Abandon"/>.
/// </summary>
public sealed class SparseIndexBuildJob
{
    private readonly SparseVector?[] _snapshot;
    private readonly SparseIndexPolicy _policy;

    internal SparseIndexBuildJob(SparseColumn column, SparseVector?[] snapshot, SparseIndexPolicy policy)
    {
        Column = column;
        _snapshot = snapshot;
        _policy = policy;
    }

    public string VectorName => Column.Name;

    /// <summary>How many offsets the index will cover.</summary>
    public int Count => _snapshot.Length;

    internal SparseColumn Column { get; }

    internal string TempPath => Column.IndexPath + ".tmp";

    internal MappedSparseIndex? Result { get; private set; }

    internal SparseVector?[] Snapshot => _snapshot;

    /// <summary>Writes the index beside the segment (not yet in use) and maps the written file, as a restart would.</summary>
    public void Run(CancellationToken ct)
    {
        MappedSparseIndex.Write(TempPath, _snapshot, _policy.ValueType, _policy.OnDisk, ct);
        Result = MappedSparseIndex.TryOpen(TempPath, out var problem)
            ?? throw new InvalidDataException($"The sparse index just written to '{TempPath}' does not reopen: {problem}.");
    }

    /// <summary>Releases a built index that will not be installed.</summary>
    public void Abandon()
    {
        Result?.Dispose();
        Result = null;
        Column.AbandonBuild();
        try
        {
            File.Delete(TempPath);
        }
        catch (IOException)
        {
        }
    }
}
