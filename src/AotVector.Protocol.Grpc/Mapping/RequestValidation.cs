using AotVector.Common.Errors;
using AotVector.Protocol.Grpc.Errors;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>Checks on request fields that proto3 cannot express (required strings, minimum limits).</summary>
internal static class RequestValidation
{
    public const uint DefaultLimit = 10;

    public static Result<string> CollectionName(string name, string field = "collection_name") =>
        string.IsNullOrEmpty(name)
            ? GrpcErrors.InvalidField(field, "must not be empty")
            : name.Length > 255 ? GrpcErrors.InvalidField(field, "must be at most 255 characters") : name;

    /// <summary>An unset optional limit is 10; an explicit 0 is rejected as Qdrant rejects it.</summary>
    public static Result<uint> Limit(bool isSet, ulong value, string field = "limit")
    {
        if (!isSet)
        {
            return DefaultLimit;
        }

        return value == 0
            ? GrpcErrors.InvalidField(field, "value 0 invalid, must be 1 or more")
            : (uint)Math.Min(value, uint.MaxValue);
    }

    public static Result<uint> Offset(bool isSet, ulong value) => isSet ? (uint)Math.Min(value, uint.MaxValue) : 0u;

    public static TimeSpan? Timeout(bool isSet, ulong seconds) => isSet ? TimeSpan.FromSeconds(Math.Min(seconds, (ulong)int.MaxValue)) : null;
}
