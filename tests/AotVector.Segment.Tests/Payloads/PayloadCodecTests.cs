using System.Buffers;
using AotVector.Common.Model;
using AotVector.Segment.Payloads;

namespace AotVector.Segment.Tests.Payloads;

public sealed class PayloadCodecTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"a":null,"b":true,"c":false,"s":"text"}""")]
    [InlineData("""{"nested":{"arr":[1,[2,[3,{"x":[]}]],{"y":{}}],"o":{"p":{"q":"deep"}}}}""")]
    [InlineData("""{"unicode":"Grüße 🌍 日本語","ключ":"значение","":"empty key"}""")]
    [InlineData("""{"d":[0.1,-2.5e300,1e-300,3.0,-0.0]}""")]
    public void Encode_Decode_RoundTrips(string json)
    {
        var payload = Json.Obj(json);
        Assert.Equal(payload, PayloadCodec.Decode(PayloadCodec.Encode(payload)));
    }

    [Fact]
    public void Encode_Decode_IntegerExtremes()
    {
        var payload = new Payload
        {
            ["min"] = PayloadValue.FromInteger(long.MinValue),
            ["max"] = PayloadValue.FromInteger(long.MaxValue),
            ["zero"] = PayloadValue.FromInteger(0),
            ["neg"] = PayloadValue.FromInteger(-1),
            ["nan"] = PayloadValue.FromDouble(double.NaN),
            ["inf"] = PayloadValue.FromDouble(double.NegativeInfinity),
            ["eps"] = PayloadValue.FromDouble(double.Epsilon),
        };
        var decoded = PayloadCodec.Decode(PayloadCodec.Encode(payload));
        Assert.Equal(payload, decoded);
        Assert.Equal(PayloadKind.Integer, decoded["zero"]!.Kind);
        Assert.Equal(PayloadKind.Double, decoded["eps"]!.Kind);
    }

    [Fact]
    public void Encode_PreservesKeyOrder()
    {
        var payload = Json.Obj("""{"z":1,"a":2,"m":3}""");
        Assert.Equal(["z", "a", "m"], PayloadCodec.Decode(PayloadCodec.Encode(payload)).Keys);
    }

    [Fact]
    public void Read_AdvancesPastEachPayload()
    {
        var writer = new ArrayBufferWriter<byte>();
        PayloadCodec.Write(writer, Json.Obj("""{"a":1}"""));
        PayloadCodec.Write(writer, Json.Obj("""{"b":"two"}"""));
        ReadOnlySpan<byte> span = writer.WrittenSpan;
        Assert.Equal(Json.Obj("""{"a":1}"""), PayloadCodec.Read(ref span));
        Assert.Equal(Json.Obj("""{"b":"two"}"""), PayloadCodec.Read(ref span));
        Assert.True(span.IsEmpty);
    }

    [Fact]
    public void Decode_EveryTruncation_Throws()
    {
        var bytes = PayloadCodec.Encode(Json.Obj("""{"a":[1,2.5,"x",{"b":null}],"c":true}"""));
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<InvalidDataException>(() => PayloadCodec.Decode(prefix));
        }
    }

    [Fact]
    public void Decode_UnknownVersionOrTag_Throws()
    {
        var bytes = PayloadCodec.Encode(Json.Obj("""{"a":1}"""));
        var badVersion = (byte[])bytes.Clone();
        badVersion[0] = 99;
        Assert.Throws<InvalidDataException>(() => PayloadCodec.Decode(badVersion));
        var badTag = (byte[])bytes.Clone();
        badTag[4] = 42; // version, count, key length, 'a', tag
        Assert.Throws<InvalidDataException>(() => PayloadCodec.Decode(badTag));
    }
}
