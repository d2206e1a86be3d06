using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Results of the grouped queries, facets and the distance matrix, in the reference's shapes.</summary>
internal static class AggregateWriter
{
    /// <summary>{"groups":[{"id","hits":[ScoredPoint...],"lookup"?}...]}.</summary>
    public static void WriteGroups(Utf8JsonWriter writer, IReadOnlyList<PointGroup> groups)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("groups"u8);
        foreach (var group in groups)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id"u8);
            PayloadJson.WriteValue(writer, group.Id);
            writer.WritePropertyName("hits"u8);
            ResultWriter.WriteScoredPoints(writer, group.Hits);
            if (group.Lookup is { } lookup)
            {
                writer.WritePropertyName("lookup"u8);
                ResultWriter.WriteRecord(writer, lookup);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>{"hits":[{"value","count"}...]}.</summary>
    public static void WriteFacet(Utf8JsonWriter writer, IReadOnlyList<FacetHit> hits)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("hits"u8);
        foreach (var hit in hits)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value"u8);
            PayloadJson.WriteValue(writer, hit.Value);
            writer.WriteNumber("count"u8, hit.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>{"pairs":[{"a","b","score"}...]}.</summary>
    public static void WritePairs(Utf8JsonWriter writer, DistanceMatrix matrix)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("pairs"u8);
        foreach (var (a, b, score) in matrix.Pairs())
        {
            writer.WriteStartObject();
            writer.WritePropertyName("a"u8);
            PointIdJson.Write(writer, a);
            writer.WritePropertyName("b"u8);
            PointIdJson.Write(writer, b);
            WriteScore(writer, score);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>{"offsets_row":[...],"offsets_col":[...],"scores":[...],"ids":[...]}.</summary>
    public static void WriteOffsets(Utf8JsonWriter writer, DistanceMatrix matrix)
    {
        var entries = matrix.Offsets().ToList();
        writer.WriteStartObject();
        writer.WriteStartArray("offsets_row"u8);
        foreach (var entry in entries)
        {
            writer.WriteNumberValue(entry.Row);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("offsets_col"u8);
        foreach (var entry in entries)
        {
            writer.WriteNumberValue(entry.Column);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("scores"u8);
        foreach (var entry in entries)
        {
            WriteScoreValue(writer, entry.Score);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("ids"u8);
        foreach (PointId id in matrix.Ids)
        {
            PointIdJson.Write(writer, id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteScore(Utf8JsonWriter writer, float score)
    {
        writer.WritePropertyName("score"u8);
        WriteScoreValue(writer, score);
    }

    // As for query hits: JSON has no infinities or NaN.
    private static void WriteScoreValue(Utf8JsonWriter writer, float score)
    {
        if (float.IsFinite(score))
        {
            writer.WriteNumberValue(score);
        }
        else if (float.IsNaN(score))
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteNumberValue(score > 0 ? float.MaxValue : float.MinValue);
        }
    }
}
