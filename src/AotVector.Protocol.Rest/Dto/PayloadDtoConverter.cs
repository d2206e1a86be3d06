using System.Text.Json;
using System.Text.Json.Serialization;
using AotVector.Common.Model;
using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>A <see cref="Payload"/> inside a response DTO (a collection's <c>metadata</c>), written as its JSON object.</summary>
internal sealed class PayloadDtoConverter : JsonConverter<Payload>
{
    public override Payload Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("a payload in a response is only written");

    public override void Write(Utf8JsonWriter writer, Payload value, JsonSerializerOptions options) => PayloadJson.WriteObject(writer, value);
}
