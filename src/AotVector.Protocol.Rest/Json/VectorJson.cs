using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Vectors on the wire. Dense arrays and named maps of dense arrays are supported; sparse vectors,
/// multi-vectors and inference objects are refused with a clear 400 until the engine has them.
/// </summary>
internal static class VectorJson
{
    /// <summary>A dense vector: a non-empty array of numbers.</summary>
    public static float[] ReadDense(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            RejectObjectVector(e);
        }

        JsonRead.Array(e, path, "a vector (array of numbers)");
        var length = e.GetArrayLength();
        if (length == 0)
        {
            ThrowHelper.ThrowValidation(path, "all vectors must be non-empty");
        }

        var vector = new float[length];
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                ThrowHelper.ThrowError(Unsupported.MultiVectors);
            }

            vector[i] = JsonRead.Single(item, BodyPath.Index(path, i));
            i++;
        }

        return vector;
    }

    /// <summary>
    /// A point's vectors (VectorStruct): a bare array is the unnamed vector (key ""), an object maps
    /// vector names to dense arrays.
    /// </summary>
    public static Dictionary<string, VectorData> ReadVectorStruct(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            return new Dictionary<string, VectorData>(1, StringComparer.Ordinal) { [VectorsConfig.DefaultName] = ReadDense(e, path) };
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            JsonRead.InvalidType(e, path, "a vector (array of numbers) or a map of named vectors");
        }

        if (e.TryGetProperty("indices", out _) && e.TryGetProperty("values", out _))
        {
            ThrowHelper.ThrowError(Unsupported.SparseVectors);
        }

        var named = new Dictionary<string, VectorData>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            named[property.Name] = ReadDense(property.Value, BodyPath.Field(path, property.Name));
        }

        return named;
    }

    /// <summary>One vector's slot in the batch form: for each point, a dense vector.</summary>
    public static List<float[]> ReadDenseList(JsonElement e, string path)
    {
        JsonRead.Array(e, path);
        var list = new List<float[]>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            list.Add(ReadDense(item, BodyPath.Index(path, i++)));
        }

        return list;
    }

    /// <summary>Prints the unnamed vector as a bare array and named vectors as a map.</summary>
    public static void WriteVectors(Utf8JsonWriter writer, IReadOnlyDictionary<string, VectorData> vectors)
    {
        if (vectors.Count == 1 && vectors.TryGetValue(VectorsConfig.DefaultName, out var single))
        {
            WriteVector(writer, single);
            return;
        }

        writer.WriteStartObject();
        foreach (var (name, vector) in vectors)
        {
            writer.WritePropertyName(name);
            WriteVector(writer, vector);
        }

        writer.WriteEndObject();
    }

    /// <summary>A dense vector as an array, a sparse one as <c>{"indices","values"}</c>, a multivector as an array of arrays.</summary>
    public static void WriteVector(Utf8JsonWriter writer, VectorData vector)
    {
        switch (vector)
        {
            case DenseVector d:
                WriteDense(writer, d.Values);
                break;
            case SparseVector s:
                writer.WriteStartObject();
                writer.WritePropertyName("indices"u8);
                writer.WriteStartArray();
                foreach (var index in s.Indices)
                {
                    writer.WriteNumberValue(index);
                }

                writer.WriteEndArray();
                writer.WritePropertyName("values"u8);
                WriteDense(writer, s.Values);
                writer.WriteEndObject();
                break;
            case MultiDenseVector m:
                writer.WriteStartArray();
                for (var i = 0; i < m.Count; i++)
                {
                    WriteDense(writer, m.Row(i));
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException("Unknown vector kind " + vector.GetType().Name, nameof(vector));
        }
    }

    public static void WriteDense(Utf8JsonWriter writer, ReadOnlySpan<float> vector)
    {
        writer.WriteStartArray();
        foreach (var x in vector)
        {
            writer.WriteNumberValue(x);
        }

        writer.WriteEndArray();
    }

    /// <summary>Objects where a dense vector is expected: sparse vectors or cloud-inference inputs.</summary>
    private static void RejectObjectVector(JsonElement e)
    {
        if (e.TryGetProperty("indices", out _) || e.TryGetProperty("values", out _))
        {
            ThrowHelper.ThrowError(Unsupported.SparseVectors);
        }

        if (e.TryGetProperty("model", out _) || e.TryGetProperty("text", out _) || e.TryGetProperty("image", out _) || e.TryGetProperty("object", out _))
        {
            ThrowHelper.ThrowError(Unsupported.InferenceInputs);
        }
    }
}
