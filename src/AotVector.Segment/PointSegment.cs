using AotVector.Common.Model;
using AotVector.Segment.Filters;
using AotVector.Segment.Ids;
using AotVector.Segment.Index.Payloads;
using AotVector.Segment.Payloads;
using AotVector.Segment.Vectors;

namespace AotVector.Segment;

/// <summary>
/// A mutable set of points (ids, versions, named vectors, payloads, payload field indexes) stored in one directory,
/// with exact (brute-force) search.
/// </summary>
/// <remarks>
/// <para>
/// <b>Not thread-safe.</b> The owner (the engine's shard) must serialize writers and keep readers out while a write
/// runs, e.g. with a reader/writer lock around every call. Concurrent reads alone are safe.
/// </para>
/// <para>
/// Every write carries the operation's version (the WAL sequence number). A write older than the point's current
/// version is ignored, which makes WAL replay idempotent; deleted points keep a tombstone version for the same reason.
/// Writes are visible at once and durable after <see cref="Flush"/>; see <see cref="StateFileName"/> for the format.
/// </para>
/// </remarks>
public sealed partial class PointSegment : IDisposable
{
    private readonly string _directory;
    private readonly Dictionary<string, VectorColumn> _columns;
    private readonly IdTracker _ids = new();
    private readonly PayloadStore _payloads;
    private readonly PayloadIndexSet _indexes = new();
    private readonly FieldColumnSet _fieldColumns = new();
    private bool _disposed;

    private PointSegment(string directory, Dictionary<string, VectorColumn> columns, PayloadStore payloads, ulong persistedVersion)
    {
        _directory = directory;
        _columns = columns;
        _payloads = payloads;
        PersistedVersion = persistedVersion;
    }

    /// <summary>The version passed to the last <see cref="Flush"/> (0 for a new segment): everything up to it is on disk.</summary>
    public ulong PersistedVersion { get; private set; }

    /// <summary>Whether payloads live in a file read on demand (<c>on_disk_payload</c>) rather than on the heap.</summary>
    public bool OnDiskPayload => _payloads.OnDisk;

    /// <summary>Bytes of the payload file that no point uses any more (0 on the heap).</summary>
    public long PayloadGarbageBytes => _payloads is MappedPayloadStore mapped ? mapped.GarbageBytes : 0;

    /// <summary>Bytes of the payload file that points use (0 on the heap).</summary>
    public long PayloadLiveBytes => _payloads is MappedPayloadStore mapped ? mapped.LiveBytes : 0;

    /// <summary>Number of live points.</summary>
    public ulong PointsCount => (ulong)_ids.LiveCount;

    /// <summary>The vectors this segment stores, by name.</summary>
    public IReadOnlyDictionary<string, VectorSpec> Vectors => _columns.ToDictionary(c => c.Key, c => c.Value.Spec, StringComparer.Ordinal);

    /// <summary>Payload field indexes by field: type and number of points with an indexed value.</summary>
    public IReadOnlyDictionary<string, (FieldIndexType Type, ulong Points)> FieldIndexes =>
        _indexes.Indexes.ToDictionary(i => i.Field, i => (i.Type, (ulong)i.Points), StringComparer.Ordinal);

    /// <summary>The parameters of the text index on <paramref name="field"/>, or null when it has none.</summary>
    public Common.FullText.TextIndexParams? TextIndexParams(string field) => _indexes.Text(field)?.Params;

    /// <summary>The parameters the index on <paramref name="field"/> was created with beside its type; null for a bare type or no index.</summary>
    public FieldIndexParams? IndexParams(string field) => _indexes.TryGet(field, out var index) ? index.IndexParams : null;

    /// <summary>Number of live points that have the vector <paramref name="name"/>.</summary>
    public ulong VectorCount(string name) => _columns.TryGetValue(name, out var column) ? column.PresentCount : SparseVectorCount(name);

    /// <summary>Replaces the whole point: vectors not given become absent, a null payload becomes empty.</summary>
    public void Upsert(ulong version, PointId id, IReadOnlyDictionary<string, VectorData> vectors, Payload? payload)
    {
        ThrowIfDisposed();
        ValidateVectors(vectors);
        uint offset;
        if (_ids.TryGetLatest(id, out var latest, out _) && version < _ids.VersionAt(latest))
        {
            return;
        }

        // Before anything changes: a full disk fails the upsert here, not half-way.
        var staged = _payloads.Stage(payload is null || payload.Count == 0 ? null : _payloads.OnDisk ? payload : payload.DeepClone());
        if (_ids.TryGetLatest(id, out latest, out var deleted))
        {
            offset = deleted ? _ids.Allocate(id, version) : latest;
        }
        else
        {
            offset = _ids.Allocate(id, version);
        }

        _ids.SetVersion(offset, version);
        MarkChanged(offset);
        foreach (var column in _columns.Values)
        {
            if (vectors.TryGetValue(column.Name, out var vector))
            {
                column.Store(offset, vector);
            }
            else
            {
                column.SetPresent(offset, false);
            }
        }

        UpsertSparse(offset, vectors);
        AssignPayload(offset, staged);
    }

    /// <summary>Deletes the point. Returns whether it existed.</summary>
    public bool Delete(ulong version, PointId id)
    {
        ThrowIfDisposed();
        if (!TryBeginWrite(version, id, out var offset, out var apply))
        {
            return false;
        }

        if (apply)
        {
            _ids.MarkDeleted(offset, version);
            MarkChanged(offset);
            foreach (var column in _columns.Values)
            {
                column.SetPresent(offset, false);
            }

            DeleteSparse(offset, null);
            _payloads.Assign(offset, default);
            _indexes.Remove(offset);
            _fieldColumns.Update(offset, null);
        }

        return true;
    }

    /// <summary>
    /// Merges <paramref name="payload"/> into the point's payload. Without <paramref name="key"/> a top-level
    /// <c>null</c> value removes that key; with it, the fields are merged into the object at that JSON path
    /// (created when missing). Returns whether the point existed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not a valid JSON path.</exception>
    public bool SetPayload(ulong version, PointId id, Payload payload, string? key)
    {
        ThrowIfDisposed();
        JsonPath? path = null;
        if (key is not null && !JsonPath.TryParse(key, out path, out var error))
        {
            ThrowHelper.ThrowArgument(error, nameof(key));
        }

        if (!TryBeginWrite(version, id, out var offset, out var apply))
        {
            return false;
        }

        if (apply)
        {
            var target = _payloads.Get(offset) ?? new Payload();
            if (path is null)
            {
                foreach (var (field, value) in payload.Fields)
                {
                    if (value.IsNull)
                    {
                        target.Remove(field);
                    }
                    else
                    {
                        target[field] = value.DeepClone();
                    }
                }
            }
            else
            {
                path.SetMerge(target, payload);
            }

            StorePayload(offset, target.Count == 0 ? null : target);
        }

        return true;
    }

    /// <summary>Replaces the point's payload. Returns whether the point existed.</summary>
    public bool OverwritePayload(ulong version, PointId id, Payload payload)
    {
        ThrowIfDisposed();
        if (!TryBeginWrite(version, id, out var offset, out var apply))
        {
            return false;
        }

        if (apply)
        {
            StorePayload(offset, payload.Count == 0 ? null : _payloads.OnDisk ? payload : payload.DeepClone());
        }

        return true;
    }

    /// <summary>Removes the keys at the given JSON paths. Returns whether the point existed.</summary>
    /// <exception cref="ArgumentException">A path is not a valid JSON path.</exception>
    public bool DeletePayloadKeys(ulong version, PointId id, IReadOnlyList<string> paths)
    {
        ThrowIfDisposed();
        var parsed = new JsonPath[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            if (!JsonPath.TryParse(paths[i], out var path, out var error))
            {
                ThrowHelper.ThrowArgument(error, nameof(paths));
            }

            parsed[i] = path;
        }

        if (!TryBeginWrite(version, id, out var offset, out var apply))
        {
            return false;
        }

        if (apply && _payloads.Get(offset) is { } target)
        {
            foreach (var path in parsed)
            {
                path.Delete(target);
            }

            StorePayload(offset, target.Count == 0 ? null : target);
        }

        return true;
    }

    /// <summary>Removes the whole payload. Returns whether the point existed.</summary>
    public bool ClearPayload(ulong version, PointId id)
    {
        ThrowIfDisposed();
        if (!TryBeginWrite(version, id, out var offset, out var apply))
        {
            return false;
        }

        if (apply)
        {
            StorePayload(offset, null);
        }

        return true;
    }

    /// <summary>Sets the given vectors, keeping the point's other vectors. Returns whether the point existed.</summary>
    public bool UpdateVectors(ulong version, PointId id, IReadOnlyDictionary<string, VectorData> vectors)
    {
        ThrowIfDisposed();
        ValidateVectors(vectors);
        if (!TryBeginWrite(version, id, out var offset, out var apply))
        {
            return false;
        }

        if (apply)
        {
            foreach (var (name, vector) in vectors)
            {
                if (vector is not SparseVector)
                {
                    _columns[name].Store(offset, vector);
                }
            }

            UpdateSparse(offset, vectors);
        }

        return true;
    }

    /// <summary>Makes the named vectors absent (unknown names are ignored). Returns whether the point existed.</summary>
    public bool DeleteVectors(ulong version, PointId id, IReadOnlyList<string> names)
    {
        ThrowIfDisposed();
        if (!TryBeginWrite(version, id, out var offset, out var apply))
        {
            return false;
        }

        if (apply)
        {
            foreach (var name in names)
            {
                if (_columns.TryGetValue(name, out var column))
                {
                    column.SetPresent(offset, false);
                }
            }

            DeleteSparse(offset, names);
        }

        return true;
    }

    /// <summary>Creates (or retypes) the payload index on <paramref name="field"/> and fills it from the live points.</summary>
    /// <exception cref="ArgumentException"><paramref name="field"/> is not a valid JSON path, or the type is unknown.</exception>
    public void CreateFieldIndex(string field, FieldIndexType type, Common.FullText.TextIndexParams? text = null, FieldIndexParams? parameters = null)
    {
        ThrowIfDisposed();
        if (!JsonPath.TryParse(field, out var path, out var error))
        {
            ThrowHelper.ThrowArgument(error, nameof(field));
        }

        if (!Enum.IsDefined(type))
        {
            ThrowHelper.ThrowArgument($"Payload index type {(int)type} is not supported (keyword, integer, float, bool, uuid, datetime, text, geo are).", nameof(type));
        }

        if (_indexes.TryGet(field, out var existing) && existing.Type == type && Equals(existing.IndexParams, parameters)
            && (type != FieldIndexType.Text || Equals(((TextIndex)existing).Params, text ?? Common.FullText.TextIndexParams.Default)))
        {
            return;
        }

        _indexes.Create(field, path, type, type == FieldIndexType.Text ? text ?? Common.FullText.TextIndexParams.Default : null, parameters, LivePayloads());
        _fieldColumns.GetOrBuild(field, _payloads); // an indexed field's conditions are checked on its column
        _rewriteState = true;
    }

    /// <summary>Drops the payload index on <paramref name="field"/>; returns whether there was one.</summary>
    public bool DeleteFieldIndex(string field)
    {
        ThrowIfDisposed();
        if (!_indexes.Delete(field))
        {
            return false;
        }

        _rewriteState = true;
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var column in _columns.Values)
        {
            column.Dispose();
        }

        DisposeSparse();
        _payloads.Dispose();
        ReleaseRetired();
    }

    // Existed = the point is live. Apply = the write is not older than the point's version (which it then takes).
    private bool TryBeginWrite(ulong version, PointId id, out uint offset, out bool apply)
    {
        if (!_ids.TryGetOffset(id, out offset))
        {
            apply = false;
            return false;
        }

        apply = version >= _ids.VersionAt(offset);
        if (apply)
        {
            _ids.SetVersion(offset, version);
            MarkChanged(offset);
        }

        return true;
    }

    private void StorePayload(uint offset, Payload? payload) => AssignPayload(offset, _payloads.Stage(payload));

    private void AssignPayload(uint offset, in StagedPayload staged)
    {
        while (_payloads.Count <= offset)
        {
            _payloads.AddOffset();
        }

        _payloads.Assign(offset, staged);
        _indexes.Update(offset, staged.Payload);
        _fieldColumns.Update(offset, staged.Payload);
    }

    private IEnumerable<(uint Offset, Payload? Payload)> LivePayloads()
    {
        foreach (var offset in _ids.LiveOffsets())
        {
            yield return (offset, _payloads.Get(offset));
        }
    }

    private void ValidateVectors(IReadOnlyDictionary<string, VectorData> vectors)
    {
        foreach (var (name, data) in vectors)
        {
            if (data is SparseVector)
            {
                continue;
            }

            if (!_columns.TryGetValue(name, out var column))
            {
                ThrowHelper.ThrowArgument($"Segment has no vector named \"{name}\".", nameof(vectors));
            }
            else if (column.IsMulti && data is MultiDenseVector multi)
            {
                if (multi.Dimension != column.Dimension || multi.Count == 0 || multi.Values.Length != multi.Count * multi.Dimension)
                {
                    ThrowHelper.ThrowArgument($"Multivector \"{name}\" has rows of {multi.Dimension} dimensions ({multi.Count} rows); expected at least one row of {column.Dimension}.", nameof(vectors));
                }
            }
            else if (data is not DenseVector { Values: var vector })
            {
                ThrowHelper.ThrowArgument($"Vector \"{name}\" is dense in this segment; got {data.GetType().Name}.", nameof(vectors));
            }
            else if (vector.Length != column.Dimension)
            {
                ThrowHelper.ThrowArgument($"Vector \"{name}\" has {vector.Length} dimensions; expected {column.Dimension}.", nameof(vectors));
            }
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(PointSegment));
        }
    }

    // Binds a FilterEvaluator to this segment's points; one per query (it caches parsed paths).
    private sealed class OffsetMatcher
    {
        private readonly PointSegment _segment;
        private readonly FilterEvaluator _evaluator;
        private readonly Func<string, bool> _hasVector;
        private uint _offset;

        public OffsetMatcher(PointSegment segment)
        {
            _segment = segment;
            _evaluator = new FilterEvaluator { TextFields = segment._indexes.Count == 0 ? null : segment._indexes.Text };
            _hasVector = name => _segment._columns.TryGetValue(name, out var column) && column.Has(_offset) || _segment.HasSparse(name, _offset);
        }

        public bool Matches(Common.Filtering.Filter filter, uint offset)
        {
            _offset = offset;
            return _evaluator.Matches(filter, _segment._ids.IdAt(offset), _segment._payloads.Get(offset), _hasVector);
        }
    }
}
