using System.Text.Json;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Points inside "result": Record, ScoredPoint, and the scroll and query pages made of them. Written by hand, not
/// by a generated contract: every part of a point but its version is a union (an id is a number or a UUID, a
/// payload any JSON tree, vectors one array or a map, a score a number or null), and these are the answers on
/// the query path.
/// </summary>
internal static class ResultWriter
{
    /// <summary>{"id","payload"?,"vector"?}: payload and vector are left out when null.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, PointRecord record)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id"u8);
        PointIdJson.Write(writer, record.Id);
        WritePayloadAndVector(writer, record.Payload, record.Vectors);
        WriteOrderValue(writer, record.OrderValue);
        writer.WriteEndObject();
    }

    /// <summary>{"id","version","score","payload"?,"vector"?}.</summary>
    public static void WriteScoredPoint(Utf8JsonWriter writer, ScoredPoint point)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id"u8);
        PointIdJson.Write(writer, point.Id);
        writer.WriteNumber("version"u8, point.Version);
        WriteScore(writer, point.Score);
        WritePayloadAndVector(writer, point.Payload, point.Vectors);
        WriteOrderValue(writer, point.OrderValue);
        writer.WriteEndObject();
    }

    /// <summary>"order_value" of an ordered read, left out otherwise: an integer, or a float (NaN as null, as Qdrant).</summary>
    private static void WriteOrderValue(Utf8JsonWriter writer, Common.Model.OrderValue? value)
    {
        if (value is not { } v)
        {
            return;
        }

        if (v.IsInteger)
        {
            writer.WriteNumber("order_value"u8, v.Integer);
        }
        else if (double.IsFinite(v.Float))
        {
            writer.WriteNumber("order_value"u8, v.Float);
        }
        else
        {
            writer.WriteNull("order_value"u8);
        }
    }

    /// <summary>
    /// JSON has no infinities, and finite vectors can still overflow a float score (components near 1e19 do): such a
    /// score is written as the largest finite float of its sign, which keeps the order, and NaN, which has no order,
    /// as null (as Qdrant writes it). Utf8JsonWriter would throw on either, failing the whole answer.
    /// </summary>
    private static void WriteScore(Utf8JsonWriter writer, float score)
    {
        if (float.IsFinite(score))
        {
            writer.WriteNumber("score"u8, score);
        }
        else if (float.IsNaN(score))
        {
            writer.WriteNull("score"u8);
        }
        else
        {
            writer.WriteNumber("score"u8, score > 0 ? float.MaxValue : float.MinValue);
        }
    }

    public static void WriteRecords(Utf8JsonWriter writer, IReadOnlyList<PointRecord> records)
    {
        writer.WriteStartArray();
        foreach (var record in records)
        {
            WriteRecord(writer, record);
        }

        writer.WriteEndArray();
    }

    public static void WriteScoredPoints(Utf8JsonWriter writer, IReadOnlyList<ScoredPoint> points)
    {
        writer.WriteStartArray();
        foreach (var point in points)
        {
            WriteScoredPoint(writer, point);
        }

        writer.WriteEndArray();
    }

    /// <summary>{"points":[ScoredPoint...]}, the result of /points/query.</summary>
    public static void WriteQueryResponse(Utf8JsonWriter writer, IReadOnlyList<ScoredPoint> points)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("points"u8);
        WriteScoredPoints(writer, points);
        writer.WriteEndObject();
    }

    public static void WriteQueryBatchResponse(Utf8JsonWriter writer, IReadOnlyList<IReadOnlyList<ScoredPoint>> batches)
    {
        writer.WriteStartArray();
        foreach (var points in batches)
        {
            WriteQueryResponse(writer, points);
        }

        writer.WriteEndArray();
    }

    /// <summary>[[ScoredPoint...]...], the result of the legacy batch search and recommend.</summary>
    public static void WriteScoredPointBatches(Utf8JsonWriter writer, IReadOnlyList<IReadOnlyList<ScoredPoint>> batches)
    {
        writer.WriteStartArray();
        foreach (var points in batches)
        {
            WriteScoredPoints(writer, points);
        }

        writer.WriteEndArray();
    }

    public static void WriteScroll(Utf8JsonWriter writer, ScrollResult result)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("points"u8);
        WriteRecords(writer, result.Points);
        writer.WritePropertyName("next_page_offset"u8);
        if (result.NextPageOffset is { } next)
        {
            PointIdJson.Write(writer, next);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    }

    private static void WritePayloadAndVector(Utf8JsonWriter writer, Common.Model.Payload? payload, IReadOnlyDictionary<string, Common.Model.VectorData>? vectors)
    {
        if (payload is not null)
        {
            writer.WritePropertyName("payload"u8);
            PayloadJson.WriteObject(writer, payload);
        }

        if (vectors is not null)
        {
            writer.WritePropertyName("vector"u8);
            VectorJson.WriteVectors(writer, vectors);
        }
    }
}
