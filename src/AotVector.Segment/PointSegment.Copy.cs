using AotVector.Common.Model;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>Offsets allocated so far, live and deleted.</summary>
    public ulong OffsetCount => _ids.Count;

    /// <summary>Offsets that hold a deleted point (what a vacuum would reclaim).</summary>
    public ulong DeletedCount => _ids.Count - (ulong)_ids.LiveCount;

    /// <summary>
    /// Bytes the stored payloads take encoded (<see cref="Payloads.PayloadCodec"/>); on the heap this walks every
    /// payload, so callers that ask often cache it (strict mode's payload size limit does).
    /// </summary>
    public ulong PayloadBytes => _payloads.EncodedBytes;

    /// <summary>Bytes of vector storage over all named dense vectors and all allocated offsets, plus the stored sparse
    /// vectors' indices and values (the optimizer's size measure).</summary>
    public ulong VectorBytes
    {
        get
        {
            ulong total = 0;
            foreach (var column in _columns.Values)
            {
                var stored = column.IsMulti ? column.RowCount : _ids.Count;
                total += (ulong)stored * (ulong)column.RecordBytes;
            }

            return total + SparseBytes;
        }
    }

    /// <summary>
    /// The newest version this segment knows for <paramref name="id"/>: of its live copy, or of its tombstone
    /// (<paramref name="live"/> false). False when the segment never held the point.
    /// </summary>
    public bool TryGetLatestVersion(PointId id, out ulong version, out bool live)
    {
        if (_ids.TryGetLatest(id, out var offset, out var deleted))
        {
            version = _ids.VersionAt(offset);
            live = !deleted;
            return true;
        }

        version = 0;
        live = false;
        return false;
    }

    /// <summary>
    /// Copies the live point <paramref name="id"/> of <paramref name="source"/> into this segment as it is: same
    /// version, the stored (already preprocessed) vectors, a copy of the payload. Used to merge and vacuum segments;
    /// both segments must have the same vectors. Returns false when the point is not live in the source.
    /// </summary>
    /// <exception cref="InvalidOperationException">The point is already live here.</exception>
    public bool CopyPointFrom(PointSegment source, PointId id)
    {
        ThrowIfDisposed();
        if (!source._ids.TryGetOffset(id, out var from))
        {
            return false;
        }

        var version = source._ids.VersionAt(from);
        var offset = _ids.Allocate(id, version);
        MarkChanged(offset);
        foreach (var column in _columns.Values)
        {
            if (source._columns.TryGetValue(column.Name, out var other) && other.Has(from))
            {
                column.CopyStored(offset, other, from);
            }
            else
            {
                column.SetPresent(offset, false);
            }
        }

        CopySparseFrom(source, from, offset);
        var payload = source._payloads.Get(from);
        StorePayload(offset, source._payloads.GetReturnsCopy ? payload : payload?.DeepClone());
        return true;
    }
}
