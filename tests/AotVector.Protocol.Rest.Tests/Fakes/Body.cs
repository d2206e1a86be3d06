using System.Text;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Tests.Fakes;

/// <summary>Runs a body reader over JSON text the way the handlers do.</summary>
internal static class Body
{
    public static Result<T> Parse<T>(string json, Func<JsonElement, T> read) => BodyParser.Parse(Encoding.UTF8.GetBytes(json), read);

    public static T Ok<T>(string json, Func<JsonElement, T> read)
    {
        var result = Parse(json, read);
        Assert.True(result.IsOk, result.IsOk ? "" : result.Error.ToString());
        return result.Value!;
    }

    public static AvError Fail<T>(string json, Func<JsonElement, T> read)
    {
        var result = Parse(json, read);
        Assert.False(result.IsOk, "expected an error for " + json);
        return result.Error;
    }
}
