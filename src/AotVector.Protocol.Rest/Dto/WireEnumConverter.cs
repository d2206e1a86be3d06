using System.Text.Json;
using System.Text.Json.Serialization;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// An engine enum on the wire as Qdrant names it: its member name in snake_case ("green", "wait_timeout",
/// "datetime"). Registered for the whole context (<see cref="RestJsonContext"/>), not on properties: a converter
/// on a property turns off the generated fast path of the type that holds it.
/// </summary>
internal sealed class WireEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where TEnum : struct, Enum;
