using AotVector.Common.Model;
using Google.Protobuf.Collections;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>
/// json_with_int <c>Value</c> ↔ <see cref="PayloadValue"/>. Integers and doubles stay distinct in
/// both directions, so <c>1</c> and <c>1.0</c> survive a round trip.
/// </summary>
internal static class PayloadMapping
{
    public static Payload ToEngine(MapField<string, Wire.Value> fields)
    {
        var payload = new Payload(fields.Count);
        foreach (var (key, value) in fields)
        {
            payload[key] = ToEngine(value);
        }

        return payload;
    }

    public static PayloadValue ToEngine(Wire.Value? value)
    {
        if (value is null)
        {
            return PayloadValue.Null;
        }

        switch (value.KindCase)
        {
            case Wire.Value.KindOneofCase.DoubleValue:
                return PayloadValue.FromDouble(value.DoubleValue);
            case Wire.Value.KindOneofCase.IntegerValue:
                return PayloadValue.FromInteger(value.IntegerValue);
            case Wire.Value.KindOneofCase.StringValue:
                return PayloadValue.FromString(value.StringValue);
            case Wire.Value.KindOneofCase.BoolValue:
                return PayloadValue.FromBool(value.BoolValue);
            case Wire.Value.KindOneofCase.StructValue:
                return PayloadValue.FromObject(ToEngine(value.StructValue.Fields));
            case Wire.Value.KindOneofCase.ListValue:
            {
                var items = new List<PayloadValue>(value.ListValue.Values.Count);
                foreach (var item in value.ListValue.Values)
                {
                    items.Add(ToEngine(item));
                }

                return PayloadValue.FromArray(items);
            }

            default:
                // null_value, or a Value with nothing set (Qdrant reads both as JSON null).
                return PayloadValue.Null;
        }
    }

    public static void ToWire(Payload payload, MapField<string, Wire.Value> target)
    {
        foreach (var (key, value) in payload.Fields)
        {
            target[key] = ToWire(value);
        }
    }

    public static Wire.Value ToWire(PayloadValue value)
    {
        switch (value.Kind)
        {
            case PayloadKind.Null:
                return new Wire.Value { NullValue = Wire.NullValue.NullValue };
            case PayloadKind.Bool:
                return new Wire.Value { BoolValue = value.AsBool };
            case PayloadKind.Integer:
                return new Wire.Value { IntegerValue = value.AsInteger };
            case PayloadKind.Double:
                return new Wire.Value { DoubleValue = value.AsDouble };
            case PayloadKind.String:
                return new Wire.Value { StringValue = value.AsString };
            case PayloadKind.Array:
            {
                var list = new Wire.ListValue();
                foreach (var item in value.AsArray)
                {
                    list.Values.Add(ToWire(item));
                }

                return new Wire.Value { ListValue = list };
            }

            case PayloadKind.Object:
            {
                var obj = new Wire.Struct();
                ToWire(value.AsObject, obj.Fields);
                return new Wire.Value { StructValue = obj };
            }

            default:
                throw new InvalidOperationException($"Unknown payload kind {value.Kind}.");
        }
    }
}
