using System.Text;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class PointIdJsonTests
{
    private const string Uuid = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("42", 42UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Read_UnsignedInteger(string json, ulong expected) =>
        Assert.Equal(PointId.FromNum(expected), Body.Ok(json, e => PointIdJson.Read(e, "id")));

    [Theory]
    [InlineData("\"5c56c793-69f3-4fbf-87e6-c4bf54c28c26\"")]
    [InlineData("\"5C56C793-69F3-4FBF-87E6-C4BF54C28C26\"")]
    [InlineData("\"5c56c79369f34fbf87e6c4bf54c28c26\"")]
    [InlineData("\"{5c56c793-69f3-4fbf-87e6-c4bf54c28c26}\"")]
    [InlineData("\"urn:uuid:5c56c793-69f3-4fbf-87e6-c4bf54c28c26\"")]
    public void Read_UuidForms(string json) =>
        Assert.Equal(PointId.FromUuid(Guid.Parse(Uuid)), Body.Ok(json, e => PointIdJson.Read(e, "id")));

    [Theory]
    [InlineData("-1", "value -1 is not")]
    [InlineData("1.0", "value 1.0 is not")]
    [InlineData("1e3", "value 1e3 is not")]
    [InlineData("\"123\"", "value \"123\" is not")]
    [InlineData("\"not-a-uuid\"", "value \"not-a-uuid\" is not")]
    [InlineData("true", "value true is not")]
    [InlineData("null", "value null is not")]
    [InlineData("18446744073709551616", "value 18446744073709551616 is not")]
    public void Read_Rejected_QdrantMessage(string json, string start)
    {
        var error = Body.Fail(json, e => PointIdJson.Read(e, "points[0]"));
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal("Format error in JSON body: " + start + " a valid point ID, valid values are either an unsigned integer or a UUID at points[0]", error.Message);
    }

    [Fact]
    public void Write_NumberAsJsonInteger_UuidLowercaseHyphenated()
    {
        Assert.Equal("18446744073709551615", Write(PointId.FromNum(ulong.MaxValue)));
        Assert.Equal("\"" + Uuid + "\"", Write(PointId.FromUuid(Guid.Parse(Uuid.ToUpperInvariant()))));
    }

    private static string Write(PointId id)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, ResponseWriter.Options))
        {
            PointIdJson.Write(writer, id);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
