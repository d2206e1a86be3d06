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
    /// Turns an operation into its WAL form against the current state (caller holds the write
    /// lock): filters become explicit ids, update filters and insert/update modes pick points,
    /// and ids that must exist are checked.
    /// </summary>
    private Result<UpdateOperation> Resolve(UpdateOperation op)
    {
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
            case CreateFieldIndex or DeleteFieldIndex:
                return op;
            default:
                return AvError.BadRequest("unsupported operation " + op.GetType().Name);
        }
    }

    private Result<PointsSelector> Select(PointsSelector selector, bool mustExist)
    {
        if (selector.Filter is not null)
        {
            return PointsSelector.ByIds(_segment.Select(selector.Filter).ToArray());
        }

        var ids = selector.Ids ?? [];
        if (mustExist)
        {
            foreach (var id in ids)
            {
                if (!_segment.Contains(id))
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
            return u with { UpdateFilter = null };
        }

        HashSet<PointId>? passing = null;
        if (u.UpdateFilter is not null)
        {
            var ids = new HashSet<PointId>(u.Points.Select(p => p.Id));
            passing = [.. _segment.Select(new Filter(Must: [new FilterCondition(u.UpdateFilter), new HasIdCondition(ids)]))];
        }

        var kept = new List<PointStruct>(u.Points.Count);
        foreach (var p in u.Points)
        {
            var exists = _segment.Contains(p.Id);
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
            passing = [.. _segment.Select(new Filter(Must: [new FilterCondition(uv.UpdateFilter), new HasIdCondition(ids)]))];
        }

        var kept = new List<PointVectors>(uv.Points.Count);
        foreach (var p in uv.Points)
        {
            if (!_segment.Contains(p.Id))
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

    /// <summary>Applies a resolved operation at <paramref name="version"/>. Caller holds the write lock.</summary>
    private void ApplyResolved(UpdateOperation op, ulong version)
    {
        switch (op)
        {
            case UpsertPoints u:
                foreach (var p in u.Points)
                {
                    _segment.Upsert(version, p.Id, p.Vectors, p.Payload);
                }

                break;
            case DeletePoints d:
                foreach (var id in d.Selector.Ids!)
                {
                    _segment.Delete(version, id);
                }

                break;
            case SetPayload s:
                foreach (var id in s.Selector.Ids!)
                {
                    _segment.SetPayload(version, id, s.Payload, s.Key);
                }

                break;
            case OverwritePayload o:
                foreach (var id in o.Selector.Ids!)
                {
                    _segment.OverwritePayload(version, id, o.Payload);
                }

                break;
            case DeletePayloadKeys k:
                foreach (var id in k.Selector.Ids!)
                {
                    _segment.DeletePayloadKeys(version, id, k.Keys);
                }

                break;
            case ClearPayload c:
                foreach (var id in c.Selector.Ids!)
                {
                    _segment.ClearPayload(version, id);
                }

                break;
            case UpdateVectors uv:
                foreach (var p in uv.Points)
                {
                    _segment.UpdateVectors(version, p.Id, p.Vectors);
                }

                break;
            case DeleteVectors dv:
                foreach (var id in dv.Selector.Ids!)
                {
                    _segment.DeleteVectors(version, id, dv.VectorNames);
                }

                break;
            case CreateFieldIndex ci:
                _segment.CreateFieldIndex(ci.FieldName, ToFieldIndexType(ci.Schema));
                break;
            case DeleteFieldIndex di:
                _segment.DeleteFieldIndex(di.FieldName);
                break;
        }
    }

    internal static FieldIndexType ToFieldIndexType(PayloadSchemaType schema) => schema switch
    {
        PayloadSchemaType.Keyword => FieldIndexType.Keyword,
        PayloadSchemaType.Integer => FieldIndexType.Integer,
        PayloadSchemaType.Float => FieldIndexType.Float,
        PayloadSchemaType.Bool => FieldIndexType.Bool,
        PayloadSchemaType.Uuid => FieldIndexType.Uuid,
        PayloadSchemaType.Datetime => FieldIndexType.Datetime,
        PayloadSchemaType.Geo or PayloadSchemaType.Text => throw new ArgumentOutOfRangeException(nameof(schema), schema, "Not supported by the segment yet."),
    };

    internal static PayloadSchemaType ToSchemaType(FieldIndexType type) => type switch
    {
        FieldIndexType.Keyword => PayloadSchemaType.Keyword,
        FieldIndexType.Integer => PayloadSchemaType.Integer,
        FieldIndexType.Float => PayloadSchemaType.Float,
        FieldIndexType.Bool => PayloadSchemaType.Bool,
        FieldIndexType.Uuid => PayloadSchemaType.Uuid,
        FieldIndexType.Datetime => PayloadSchemaType.Datetime,
    };
}
