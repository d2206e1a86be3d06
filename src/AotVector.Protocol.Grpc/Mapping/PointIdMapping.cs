using AotVector.Common.Errors;
using AotVector.Common.Model;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>Wire PointId (num or uuid string) ↔ <see cref="PointId"/>.</summary>
internal static class PointIdMapping
{
    public static Result<PointId> ToEngine(Wire.PointId? id)
    {
        if (id is null)
        {
            return AvError.BadRequest("point id is not set");
        }

        return id.PointIdOptionsCase switch
        {
            Wire.PointId.PointIdOptionsOneofCase.Num => PointId.FromNum(id.Num),
            Wire.PointId.PointIdOptionsOneofCase.Uuid => PointId.TryParseUuid(id.Uuid, out var uuid)
                ? uuid
                : AvError.BadRequest($"Unable to parse UUID: {id.Uuid}"),
            _ => AvError.BadRequest("point id is not set"),
        };
    }

    public static Result<List<PointId>> ToEngine(IReadOnlyCollection<Wire.PointId> ids)
    {
        var result = new List<PointId>(ids.Count);
        foreach (var wire in ids)
        {
            if (!ToEngine(wire).TryGet(out var id, out var error))
            {
                return error;
            }

            result.Add(id);
        }

        return result;
    }

    /// <summary>Numbers as <c>num</c>; UUIDs as the lower-case hyphenated text Qdrant prints.</summary>
    public static Wire.PointId ToWire(PointId id) =>
        id.IsUuid ? new Wire.PointId { Uuid = id.Uuid.ToString("D") } : new Wire.PointId { Num = id.Num };
}
