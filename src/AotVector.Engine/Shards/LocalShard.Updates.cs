using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Segment;

namespace AotVector.Engine.Shards;

internal sealed partial class LocalShard
{
    /// <summary>
    /// Turns an operation into its WAL form against the current state (caller holds the gate): filters
    /// become explicit ids, update filters and insert/update modes pick points, and ids that must exist are checked.
    /// Points to be edited in place while their segment is being rebuilt are moved to the appendable segment first,
    /// by an upsert of their current content logged before the operation (so the WAL alone can redo the move).
    /// </summary>
    private Result<List<UpdateOperation>> Resolve(UpdateOperation op)
    {
        var resolved = ResolveOne(op);
        if (!resolved.TryGet(out var main, out var error))
        {
            return error;
        }

        var ops = new List<UpdateOperation>(2);
        if (EditedIds(main) is { } edited && MovesOutOfFrozen(edited) is { } move)
        {
            ops.Add(move);
        }

        ops.Add(main);
        return ops;
    }

    private Result<UpdateOperation> ResolveOne(UpdateOperation op)
    {
        if (CheckVectorNames(op) is { } stale)
        {
            return stale;
        }

        switch (op)
        {
            case UpsertPoints u:
                return ResolveUpsert(u);
            case DeletePoints d:
                return new DeletePoints(Select(d.Selector, mustExist: false).Value!);
            case SetPayload s:
                return Select(s.Selector, mustExist: true).Map(ids => (UpdateOperation)(s with { Selector = ids }));
            case OverwritePayload o:
                return Select(o.Selector, mustExist: true).Map(ids => (UpdateOperation)(o with { Selector = ids }));
            case DeletePayloadKeys k:
                return Select(k.Selector, mustExist: true).Map(ids => (UpdateOperation)(k with { Selector = ids }));
            case ClearPayload c:
                return Select(c.Selector, mustExist: true).Map(ids => (UpdateOperation)(c with { Selector = ids }));
            case UpdateVectors uv:
                return ResolveUpdateVectors(uv);
            case DeleteVectors dv:
                return Select(dv.Selector, mustExist: true).Map(ids => (UpdateOperation)(dv with { Selector = ids }));
            case CreateFieldIndex or DeleteFieldIndex or CreateVectorName or DeleteVectorName:
                return op;
            default:
                return AvError.BadRequest("unsupported operation " + op.GetType().Name);
        }
    }

    // Points a resolved operation edits in place (upserts and deletes replace or remove; they never edit).
    private static IEnumerable<PointId>? EditedIds(UpdateOperation op) => op switch
    {
        SetPayload s => s.Selector.Ids,
        OverwritePayload o => o.Selector.Ids,
        DeletePayloadKeys k => k.Selector.Ids,
        ClearPayload c => c.Selector.Ids,
        DeleteVectors dv => dv.Selector.Ids,
        UpdateVectors uv => uv.Points.Select(p => p.Id),
        _ => null,
    };

    private UpsertPoints? MovesOutOfFrozen(IEnumerable<PointId> ids)
    {
        if (!_segments.Any(s => s.Frozen))
        {
            return null;
        }

        var moves = new List<PointStruct>();
        foreach (var id in ids)
        {
            if (LiveCopy(id) is { Frozen: true } holder
                && holder.Segment.TryGetPoint(id, true, null, out var payload, out var vectors, out _))
            {
                moves.Add(new PointStruct(id, vectors!, payload!.Count == 0 ? null : payload));
            }
        }

        return moves.Count == 0 ? null : new UpsertPoints(moves);
    }

    private bool Contains(PointId id) => LiveCopy(id) is not null;

    /// <summary>The segment holding the newest live copy of <paramref name="id"/>, or null.</summary>
    private ShardSegment? LiveCopy(PointId id)
    {
        ShardSegment? best = null;
        ulong bestVersion = 0;
        foreach (var s in _segments)
        {
            if (s.Segment.TryGetLatestVersion(id, out var version, out var live) && live && (best is null || version > bestVersion))
            {
                best = s;
                bestVersion = version;
            }
        }

        return best;
    }

    /// <summary>Ids of the live points matching <paramref name="filter"/> over all segments, ascending.</summary>
    private List<PointId> SelectAll(Filter? filter)
    {
        if (_segments.Count == 1)
        {
            return [.. _segments[0].Segment.Select(filter)];
        }

        var ids = new HashSet<PointId>();
        foreach (var s in _segments)
        {
            ids.UnionWith(s.Segment.Select(filter));
        }

        var sorted = ids.ToList();
        sorted.Sort();
        return sorted;
    }

    private Result<PointsSelector> Select(PointsSelector selector, bool mustExist)
    {
        if (selector.Filter is not null)
        {
            return PointsSelector.ByIds([.. SelectAll(selector.Filter)]);
        }

        var ids = selector.Ids ?? [];
        if (mustExist)
        {
            foreach (var id in ids)
            {
                if (!Contains(id))
                {
                    return AvError.PointNotFound(new PointIdText(id.ToString()));
                }
            }
        }

        return selector;
    }

    private Result<UpdateOperation> ResolveUpsert(UpsertPoints u)
    {
        if (u.UpdateFilter is null && u.Mode == UpdateMode.Upsert)
        {
            return u; // unchanged, so Update can use the WAL entry it encoded before taking the lock
        }

        HashSet<PointId>? passing = null;
        if (u.UpdateFilter is not null)
        {
            var ids = new HashSet<PointId>(u.Points.Select(p => p.Id));
            passing = [.. SelectAll(new Filter(Must: [new FilterCondition(u.UpdateFilter), new HasIdCondition(ids)]))];
        }

        var kept = new List<PointStruct>(u.Points.Count);
        foreach (var p in u.Points)
        {
            var exists = Contains(p.Id);
            var keep = u.Mode switch
            {
                UpdateMode.InsertOnly => !exists,
                UpdateMode.UpdateOnly => exists,
                UpdateMode.Upsert => true,
            };

            // An update filter guards replacing existing points; new points are inserted.
            if (keep && exists && passing is not null && !passing.Contains(p.Id))
            {
                keep = false;
            }

            if (keep)
            {
                kept.Add(p);
            }
        }

        return new UpsertPoints(kept);
    }

    private Result<UpdateOperation> ResolveUpdateVectors(UpdateVectors uv)
    {
        HashSet<PointId>? passing = null;
        if (uv.UpdateFilter is not null)
        {
            var ids = new HashSet<PointId>(uv.Points.Select(p => p.Id));
            passing = [.. SelectAll(new Filter(Must: [new FilterCondition(uv.UpdateFilter), new HasIdCondition(ids)]))];
        }

        var kept = new List<PointVectors>(uv.Points.Count);
        foreach (var p in uv.Points)
        {
            if (!Contains(p.Id))
            {
                return AvError.PointNotFound(new PointIdText(p.Id.ToString()));
            }

            if (passing is null || passing.Contains(p.Id))
            {
                kept.Add(p);
            }
        }

        return new UpdateVectors(kept);
    }

    /// <summary>Applies a resolved operation at <paramref name="version"/>. Caller holds the gate and the write lock.</summary>
    private void ApplyResolved(UpdateOperation op, ulong version)
    {
        switch (op)
        {
            case UpsertPoints u:
                foreach (var p in u.Points)
                {
                    UpsertOne(version, p);
                }

                break;
            case DeletePoints d:
                foreach (var id in d.Selector.Ids!)
                {
                    DeleteEverywhere(version, id);
                }

                break;
            case SetPayload s:
                foreach (var id in s.Selector.Ids!)
                {
                    EditInPlace(id)?.SetPayload(version, id, s.Payload, s.Key);
                }

                break;
            case OverwritePayload o:
                foreach (var id in o.Selector.Ids!)
                {
                    EditInPlace(id)?.OverwritePayload(version, id, o.Payload);
                }

                break;
            case DeletePayloadKeys k:
                foreach (var id in k.Selector.Ids!)
                {
                    EditInPlace(id)?.DeletePayloadKeys(version, id, k.Keys);
                }

                break;
            case ClearPayload c:
                foreach (var id in c.Selector.Ids!)
                {
                    EditInPlace(id)?.ClearPayload(version, id);
                }

                break;
            case UpdateVectors uv:
                foreach (var p in uv.Points)
                {
                    if (EditInPlace(p.Id) is { } segment)
                    {
                        segment.UpdateVectors(version, p.Id, FitTo(segment, p.Vectors));
                    }
                }

                break;
            case DeleteVectors dv:
                foreach (var id in dv.Selector.Ids!)
                {
                    EditInPlace(id)?.DeleteVectors(version, id, dv.VectorNames);
                }

                break;
            case CreateFieldIndex ci:
                foreach (var s in _segments)
                {
                    s.Segment.CreateFieldIndex(ci.FieldName, ToFieldIndexType(ci.Schema), ci.Text, ci.Options?.ToSegment());
                    s.Dirty = true;
                }

                break;
            case DeleteFieldIndex di:
                foreach (var s in _segments)
                {
                    s.Segment.DeleteFieldIndex(di.FieldName);
                    s.Dirty = true;
                }

                break;
            case CreateVectorName cv:
                ApplyCreateVectorName(cv, version);
                break;
            case DeleteVectorName dn:
                ApplyDeleteVectorName(dn, version);
                break;
        }
    }

    /// <summary>
    /// A whole point at <paramref name="version"/>: skipped when a newer state of the point exists (a live copy at
    /// this version or later, or a later delete), else written to the appendable segment with every other live copy
    /// deleted. Replaying the same upsert therefore changes nothing, wherever the point has moved since.
    /// </summary>
    private void UpsertOne(ulong version, PointStruct point)
    {
        foreach (var s in _segments)
        {
            if (s.Segment.TryGetLatestVersion(point.Id, out var existing, out var live) && (live ? existing >= version : existing > version))
            {
                RemoveStaleCopies(point.Id);
                return;
            }
        }

        foreach (var s in _segments)
        {
            if (!ReferenceEquals(s, _appendable))
            {
                DeleteFrom(s, version, point.Id);
            }
        }

        _appendable.Segment.Upsert(version, point.Id, FitTo(_appendable.Segment, point.Vectors), point.Payload);
        _appendable.Dirty = true;
    }

    private void DeleteEverywhere(ulong version, PointId id)
    {
        foreach (var s in _segments)
        {
            DeleteFrom(s, version, id);
        }
    }

    private static void DeleteFrom(ShardSegment s, ulong version, PointId id)
    {
        if (s.Segment.TryGetLatestVersion(id, out _, out var live) && live && s.Segment.Delete(version, id))
        {
            s.Dirty = true;
            s.FrozenDeletes?.Add((id, version));
        }
    }

    /// <summary>
    /// The segment to edit <paramref name="id"/> in: the one with its newest live copy (older copies, which only a
    /// crash between two segment flushes can leave, are deleted). Null when the point does not exist.
    /// </summary>
    private PointSegment? EditInPlace(PointId id)
    {
        var holder = RemoveStaleCopies(id);
        if (holder is null)
        {
            return null;
        }

        holder.Dirty = true;
        return holder.Segment;
    }

    private ShardSegment? RemoveStaleCopies(PointId id)
    {
        var holder = LiveCopy(id);
        if (holder is not null && _segments.Count > 1)
        {
            holder.Segment.TryGetLatestVersion(id, out var newest, out _);
            foreach (var s in _segments)
            {
                if (!ReferenceEquals(s, holder))
                {
                    DeleteFrom(s, newest, id);
                }
            }
        }

        return holder;
    }

    internal static FieldIndexType ToFieldIndexType(PayloadSchemaType schema) => schema switch
    {
        PayloadSchemaType.Keyword => FieldIndexType.Keyword,
        PayloadSchemaType.Integer => FieldIndexType.Integer,
        PayloadSchemaType.Float => FieldIndexType.Float,
        PayloadSchemaType.Bool => FieldIndexType.Bool,
        PayloadSchemaType.Uuid => FieldIndexType.Uuid,
        PayloadSchemaType.Datetime => FieldIndexType.Datetime,
        PayloadSchemaType.Text => FieldIndexType.Text,
        PayloadSchemaType.Geo => FieldIndexType.Geo,
    };

    internal static PayloadSchemaType ToSchemaType(FieldIndexType type) => type switch
    {
        FieldIndexType.Keyword => PayloadSchemaType.Keyword,
        FieldIndexType.Integer => PayloadSchemaType.Integer,
        FieldIndexType.Float => PayloadSchemaType.Float,
        FieldIndexType.Bool => PayloadSchemaType.Bool,
        FieldIndexType.Uuid => PayloadSchemaType.Uuid,
        FieldIndexType.Datetime => PayloadSchemaType.Datetime,
        FieldIndexType.Text => PayloadSchemaType.Text,
        FieldIndexType.Geo => PayloadSchemaType.Geo,
    };
}
