using AotVector.Common.Model;
using AotVector.Protocol.Grpc.Mapping;
using Google.Protobuf.Collections;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class PayloadMappingTests
{
    [Fact]
    public void ToEngine_IntegerAndDouble_StayDistinct()
    {
        Assert.Equal(PayloadKind.Integer, PayloadMapping.ToEngine(new Wire.Value { IntegerValue = 1 }).Kind);
        Assert.Equal(1L, PayloadMapping.ToEngine(new Wire.Value { IntegerValue = 1 }).AsInteger);
        Assert.Equal(PayloadKind.Double, PayloadMapping.ToEngine(new Wire.Value { DoubleValue = 1.0 }).Kind);
        Assert.Equal(1.0, PayloadMapping.ToEngine(new Wire.Value { DoubleValue = 1.0 }).AsDouble);
    }

    [Fact]
    public void ToEngine_Scalars_MapToTheirKinds()
    {
        Assert.Equal("x", PayloadMapping.ToEngine(new Wire.Value { StringValue = "x" }).AsString);
        Assert.True(PayloadMapping.ToEngine(new Wire.Value { BoolValue = true }).AsBool);
        Assert.True(PayloadMapping.ToEngine(new Wire.Value { NullValue = Wire.NullValue.NullValue }).IsNull);
        Assert.True(PayloadMapping.ToEngine(new Wire.Value()).IsNull);
    }

    [Fact]
    public void ToEngine_NestedStructAndList_MapRecursively()
    {
        var inner = new Wire.Struct();
        inner.Fields["n"] = new Wire.Value { IntegerValue = 5 };
        var list = new Wire.ListValue();
        list.Values.Add(new Wire.Value { StringValue = "a" });
        list.Values.Add(new Wire.Value { StructValue = inner });
        var map = new MapField<string, Wire.Value> { ["items"] = new Wire.Value { ListValue = list } };

        var payload = PayloadMapping.ToEngine(map);

        var items = payload["items"]!.AsArray;
        Assert.Equal("a", items[0].AsString);
        Assert.Equal(5L, items[1].AsObject["n"]!.AsInteger);
    }

    [Fact]
    public void ToWire_RoundTrip_KeepsEveryKind()
    {
        var nested = new Payload { ["deep"] = PayloadValue.FromDouble(2.5) };
        var payload = new Payload
        {
            ["i"] = PayloadValue.FromInteger(long.MinValue),
            ["d"] = PayloadValue.FromDouble(1.0),
            ["s"] = PayloadValue.FromString("text"),
            ["b"] = PayloadValue.False,
            ["n"] = PayloadValue.Null,
            ["a"] = PayloadValue.FromArray([PayloadValue.FromInteger(1), PayloadValue.FromString("x")]),
            ["o"] = PayloadValue.FromObject(nested),
        };
        var wire = new MapField<string, Wire.Value>();

        PayloadMapping.ToWire(payload, wire);

        Assert.Equal(Wire.Value.KindOneofCase.IntegerValue, wire["i"].KindCase);
        Assert.Equal(Wire.Value.KindOneofCase.DoubleValue, wire["d"].KindCase);
        Assert.Equal(Wire.Value.KindOneofCase.NullValue, wire["n"].KindCase);
        Assert.Equal(Wire.Value.KindOneofCase.ListValue, wire["a"].KindCase);
        Assert.Equal(Wire.Value.KindOneofCase.StructValue, wire["o"].KindCase);
        Assert.Equal(payload, PayloadMapping.ToEngine(wire));
    }
}
