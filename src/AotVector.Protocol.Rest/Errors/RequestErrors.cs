using AotVector.Common.Errors;

namespace AotVector.Protocol.Rest.Errors;

/// <summary>The error messages the REST layer produces itself, worded as Qdrant words them.</summary>
internal static class RequestErrors
{
    public const string InvalidPointId = "is not a valid point ID, valid values are either an unsigned integer or a UUID";

    /// <summary>A body that is not JSON, or has the wrong shape or types: 400.</summary>
    public static AvError Format(string detail) => new(ErrorKind.BadRequest, "Format error in JSON body: " + detail);

    /// <summary>A body that parsed but breaks a rule (limit 0, size too big): 422.</summary>
    public static AvError Validation(string path, string problem) =>
        AvError.Validation("[" + (path.Length == 0 ? "" : path + ": ") + problem + "]");

    public static AvError QueryParameter(string detail) => new(ErrorKind.BadRequest, "Deserialize error in query parameters: " + detail);

    public static AvError PathParameter(string detail) => new(ErrorKind.BadRequest, "Deserialize error in path parameters: " + detail);
}
