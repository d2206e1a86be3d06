using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>
/// Adding and removing a named vector of a segment that already holds points (the collection's vector name
/// operations). Each change is persisted at once, state first and files after: a state file never names a vector
/// whose file is gone, and a crash between the two leaves at most an unreferenced file, replaced at the next add.
/// </summary>
public sealed partial class PointSegment
{
    // Columns taken out by DropVector, still mapped: a graph build started before may be reading one with no lock.
    private readonly List<IDisposable> _retired = [];

    /// <summary>
    /// Whether <paramref name="data"/> can be stored here under <paramref name="name"/>: a dense vector or multivector
    /// of the shape of that name's column. A sparse vector always can (sparse columns are made on first write).
    /// </summary>
    public bool Fits(string name, VectorData data)
    {
        if (data is SparseVector)
        {
            return true;
        }

        if (!_columns.TryGetValue(name, out var column))
        {
            return false;
        }

        return data switch
        {
            DenseVector dense => dense.Values.Length == column.Dimension,
            MultiDenseVector multi => column.IsMulti && multi.Dimension == column.Dimension && multi.Count > 0,
            _ => false,
        };
    }

    /// <summary>
    /// Adds the dense vector <paramref name="name"/>, absent for every point, and persists the segment as of
    /// <paramref name="version"/>. A vector of that name and shape is kept as it is; one of another shape is
    /// replaced by the new, empty one. Returns whether the segment changed.
    /// </summary>
    public bool AddVector(string name, VectorSpec spec, ulong version)
    {
        ThrowIfDisposed();
        if (_columns.TryGetValue(name, out var existing))
        {
            if (existing.Spec == spec)
            {
                return false;
            }

            DropVector(name, version);
        }

        // Files left by a drop or an add that crashed before its state was written are not this vector's data.
        File.Delete(GraphPath(name));
        var column = OpenColumns(_directory, [(name, spec)], fresh: true)[name];
        _columns[name] = column;
        _rewriteState = true;
        Flush(version);
        return true;
    }

    /// <summary>
    /// Removes the vector <paramref name="name"/> (dense, multi or sparse) with every point's value and its graph,
    /// persists the segment as of <paramref name="version"/>, then deletes the files. A dense or sparse column stays mapped
    /// until <see cref="ReleaseRetired"/> (or disposal): the owner calls that once no graph build that may read it
    /// runs. Returns whether the vector was there.
    /// </summary>
    public bool DropVector(string name, ulong version)
    {
        ThrowIfDisposed();
        var dense = _columns.Remove(name, out var column);
        var sparse = _sparse.Remove(name, out var sparseColumn);
        if (!dense && !sparse)
        {
            return false;
        }

        _rewriteState = true;
        Flush(version);
        if (column is not null)
        {
            _retired.Add(column);
            var hex = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(name));
            File.Delete(Path.Combine(_directory, "vectors-" + hex + ".bin"));
            File.Delete(Path.Combine(_directory, "rows-" + hex + ".bin"));
            File.Delete(GraphPath(name));
        }

        if (sparseColumn is not null)
        {
            // Its built index stays mapped until released, like a dense column: an index build may still read it.
            _retired.Add(sparseColumn);
            File.Delete(sparseColumn.Path);
            File.Delete(sparseColumn.IndexPath);
        }

        return true;
    }

    /// <summary>Unmaps the columns <see cref="DropVector"/> took out (their files are already deleted).</summary>
    public void ReleaseRetired()
    {
        foreach (var column in _retired)
        {
            column.Dispose();
        }

        _retired.Clear();
    }

    /// <summary>
    /// Makes <paramref name="name"/> absent from every point older than <paramref name="version"/>, keeping the
    /// vector itself: what a removal of the name at that version means for a segment that was persisted after it
    /// (a WAL replay may have put older values back). Returns whether any point lost it.
    /// </summary>
    public bool ClearVectorBefore(string name, ulong version)
    {
        ThrowIfDisposed();
        var dense = _columns.GetValueOrDefault(name);
        var sparse = _sparse.GetValueOrDefault(name);
        if (dense is null && sparse is null)
        {
            return false;
        }

        var changed = false;
        for (uint offset = 0; offset < _ids.Count; offset++)
        {
            if (_ids.VersionAt(offset) >= version)
            {
                continue;
            }

            if (dense is not null && dense.Has(offset))
            {
                dense.SetPresent(offset, false);
                MarkChanged(offset);
                changed = true;
            }

            if (sparse is not null && sparse.Has(offset))
            {
                sparse.Set(offset, null);
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>The shape of the dense or multivector <paramref name="name"/>, or null (cheaper than <see cref="Vectors"/>).</summary>
    public VectorSpec? VectorShape(string name) => _columns.TryGetValue(name, out var column) ? column.Spec : null;

    /// <summary>Whether this segment holds a sparse column named <paramref name="name"/>.</summary>
    public bool HasSparseVector(string name) => _sparse.ContainsKey(name);
}
