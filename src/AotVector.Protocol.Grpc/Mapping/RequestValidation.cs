using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>Checks on request fields that proto3 cannot express (required strings, minimum limits).</summary>
internal static class RequestValidation
{
    public static Result<string> CollectionName(string name, string field = "collection_name") =>
        name.Length is 0 or > RequestRules.MaxNameLength ? GrpcErrors.InvalidField(field, RequestRules.NameLength) : name;

    /// <summary>An unset optional limit is the default; an explicit 0 is rejected as Qdrant rejects it.</summary>
    public static Result<uint> Limit(bool isSet, ulong value, string field = "limit")
    {
        if (!isSet)
        {
            return RequestDefaults.Limit;
        }

        return value == 0
            ? GrpcErrors.InvalidField(field, RequestRules.ZeroLimit)
            : (uint)Math.Min(value, uint.MaxValue);
    }

    public static Result<uint> Offset(bool isSet, ulong value) => isSet ? (uint)Math.Min(value, uint.MaxValue) : RequestDefaults.Offset;

    public static TimeSpan? Timeout(bool isSet, ulong seconds) => isSet ? TimeSpan.FromSeconds(Math.Min(seconds, (ulong)int.MaxValue)) : null;
}
