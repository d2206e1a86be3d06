using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>with_payload / with_vectors selectors and the ids-or-filter points selector.</summary>
internal static class SelectorMapping
{
    /// <summary>An unset selector gives <paramref name="fallback"/> (the per-RPC default).</summary>
    public static WithPayload ToEngine(Wire.WithPayloadSelector? selector, WithPayload fallback) => selector?.SelectorOptionsCase switch
    {
        Wire.WithPayloadSelector.SelectorOptionsOneofCase.Enable => selector.Enable ? WithPayload.All : WithPayload.None,
        Wire.WithPayloadSelector.SelectorOptionsOneofCase.Include => new WithPayload(true, Include: [.. selector.Include.Fields]),
        Wire.WithPayloadSelector.SelectorOptionsOneofCase.Exclude => new WithPayload(true, Exclude: [.. selector.Exclude.Fields]),
        _ => fallback,
    };

    /// <summary>An unset selector gives the default of every RPC, no vectors.</summary>
    public static WithVector ToEngine(Wire.WithVectorsSelector? selector) => selector?.SelectorOptionsCase switch
    {
        Wire.WithVectorsSelector.SelectorOptionsOneofCase.Enable => selector.Enable ? WithVector.All : WithVector.None,
        Wire.WithVectorsSelector.SelectorOptionsOneofCase.Include => new WithVector(true, [.. selector.Include.Names]),
        _ => RequestDefaults.Vectors,
    };

    public static Result<PointsSelector> ToEngine(Wire.PointsSelector? selector, string field)
    {
        switch (selector?.PointsSelectorOneOfCase)
        {
            case Wire.PointsSelector.PointsSelectorOneOfOneofCase.Points:
                return PointIdMapping.ToEngine(selector.Points.Ids).TryGet(out var ids, out var error)
                    ? PointsSelector.ByIds(ids)
                    : error;
            case Wire.PointsSelector.PointsSelectorOneOfOneofCase.Filter:
                return FilterMapping.ToEngineOrEmpty(selector.Filter).TryGet(out var filter, out error)
                    ? PointsSelector.ByFilter(filter)
                    : error;
            default:
                return GrpcErrors.InvalidField(field, "must select points by ids or by filter");
        }
    }
}
