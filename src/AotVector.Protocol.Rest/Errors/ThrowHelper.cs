using System.Diagnostics.CodeAnalysis;
using AotVector.Common.Errors;

namespace AotVector.Protocol.Rest.Errors;

/// <summary>The only place the body readers throw from, so their methods stay small.</summary>
internal static class ThrowHelper
{
    /// <summary>400 "Format error in JSON body: {problem} at {path}".</summary>
    [DoesNotReturn]
    public static void ThrowFormat(string path, string problem) =>
        throw new JsonBodyException(RequestErrors.Format(path.Length == 0 ? problem : problem + " at " + path));

    /// <summary>422 "Validation error in JSON body: [{path}: {problem}]".</summary>
    [DoesNotReturn]
    public static void ThrowValidation(string path, string problem) =>
        throw new JsonBodyException(RequestErrors.Validation(path, problem));

    [DoesNotReturn]
    public static void ThrowError(AvError error) => throw new JsonBodyException(error);

    [DoesNotReturn]
    public static T ThrowFormat<T>(string path, string problem)
    {
        ThrowFormat(path, problem);
        return default;
    }

    /// <summary>A bug, not a client error: the handler boundary answers it with a 500.</summary>
    [DoesNotReturn]
    public static void ThrowUnknownPayloadKind(Common.Model.PayloadKind kind) =>
        throw new InvalidOperationException("Unknown payload kind " + kind + ".");
}
