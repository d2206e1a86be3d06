using System.Text;
using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class PayloadJsonTests
{
    [Fact]
    public void RoundTrip_KeepsKeyOrderKindsAndNesting()
    {
        const string json = """{"z":1,"a":1.0,"s":"x\"y","n":null,"b":false,"arr":[1,2.5,"t",[],{}],"obj":{"k2":{"deep":-3},"k1":true},"big":9223372036854775807,"neg":-0.5}""";
        var payload = Body.Ok(json, e => PayloadJson.ReadObject(e, "payload"));
        Assert.Equal(["z", "a", "s", "n", "b", "arr", "obj", "big", "neg"], payload.Keys.ToArray());
        Assert.Equal(PayloadKind.Integer, payload["z"]!.Kind);
        Assert.Equal(PayloadKind.Double, payload["a"]!.Kind);
        Assert.Equal(PayloadKind.Null, payload["n"]!.Kind);
        Assert.Equal(json, Write(payload));
    }

    [Fact]
    public void Read_IntegerBeyondI64_IsDouble()
    {
        var payload = Body.Ok("""{"u":18446744073709551615}""", e => PayloadJson.ReadObject(e, "payload"));
        Assert.Equal(PayloadKind.Double, payload["u"]!.Kind);
    }

    [Fact]
    public void Read_NotAnObject_FormatError()
    {
        var error = Body.Fail("[1]", e => PayloadJson.ReadObject(e, "payload"));
        Assert.Equal("Format error in JSON body: invalid type: a sequence, expected a JSON object as payload at payload", error.Message);
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e300, "1E+300")]
    public void WriteDouble_AlwaysReadsBackAsDouble(double value, string expected)
    {
        var payload = new Payload { ["v"] = PayloadValue.FromDouble(value) };
        var text = Write(payload);
        Assert.Equal("{\"v\":" + expected + "}", text);
        Assert.Equal(PayloadKind.Double, Body.Ok(text, e => PayloadJson.ReadObject(e, "p"))["v"]!.Kind);
    }

    private static string Write(Payload payload)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, ResponseWriter.Options))
        {
            PayloadJson.WriteObject(writer, payload);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
