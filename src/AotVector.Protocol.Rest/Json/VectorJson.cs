using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Vectors on the wire: dense arrays, multivectors (arrays of arrays), sparse <c>{"indices","values"}</c> objects,
/// and named maps of them; inference objects are refused with a clear 400. Sparse vectors are read as given; the
/// engine checks them (equal lengths, unique indices, finite values) so that REST and gRPC refuse alike.
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
            vector[i] = JsonRead.Single(item, BodyPath.Index(path, i));
            i++;
        }

        return vector;
    }

    /// <summary>One vector's value: a sparse <c>{"indices","values"}</c> object, a multivector (an array whose first item is an array), or a dense array.</summary>
    public static VectorData ReadVector(JsonElement e, string path) =>
        IsSparse(e) ? ReadSparse(e, path) : IsDocument(e) ? ReadDocument(e, path) : IsMulti(e) ? ReadMulti(e, path) : ReadDense(e, path);

    /// <summary>Whether <paramref name="e"/> is a document for a server-side model: an object with <c>text</c> (or only <c>model</c>).</summary>
    public static bool IsDocument(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && (e.TryGetProperty("text", out _) || (e.TryGetProperty("model", out _) && !e.TryGetProperty("image", out _) && !e.TryGetProperty("object", out _)));

    /// <summary><c>{"text", "model", "options"}</c>: the engine embeds it (only BM25 runs here).</summary>
    public static DocumentVector ReadDocument(JsonElement e, string path)
    {
        if (!e.TryGetProperty("text", out var text) || JsonRead.IsAbsent(text))
        {
            JsonRead.Missing(path, "text");
        }

        if (!e.TryGetProperty("model", out var model) || JsonRead.IsAbsent(model))
        {
            JsonRead.Missing(path, "model");
        }

        var options = e.TryGetProperty("options", out var o) ? PayloadJson.ReadOptionalObject(o, BodyPath.Field(path, "options")) : null;
        return new DocumentVector(JsonRead.String(text, BodyPath.Field(path, "text")), JsonRead.String(model, BodyPath.Field(path, "model")), options);
    }

    /// <summary>Whether <paramref name="e"/> looks like a multivector: an array whose first item is an array.</summary>
    public static bool IsMulti(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 && e[0].ValueKind == JsonValueKind.Array;

    /// <summary>A multivector: a non-empty array of non-empty number arrays, all of one length.</summary>
    public static MultiDenseVector ReadMulti(JsonElement e, string path)
    {
        JsonRead.Array(e, path, "a multivector (array of arrays of numbers)");
        var rows = e.GetArrayLength();
        if (rows == 0)
        {
            ThrowHelper.ThrowValidation(path, "multi vector must not be empty");
        }

        var dimension = -1;
        float[] values = [];
        var r = 0;
        foreach (var row in e.EnumerateArray())
        {
            var at = BodyPath.Index(path, r);
            JsonRead.Array(row, at, "a vector (array of numbers)");
            var length = row.GetArrayLength();
            if (length == 0)
            {
                ThrowHelper.ThrowValidation(path, "all vectors must be non-empty");
            }

            if (dimension < 0)
            {
                dimension = length;
                values = new float[checked(rows * length)];
            }
            else if (length != dimension)
            {
                ThrowHelper.ThrowValidation(path, $"all vectors must have the same dimension, found vector with dimension {length}");
            }

            var i = 0;
            foreach (var item in row.EnumerateArray())
            {
                values[(r * dimension) + i] = JsonRead.Single(item, BodyPath.Index(at, i));
                i++;
            }

            r++;
        }

        return new MultiDenseVector(values, dimension);
    }

    /// <summary>
    /// A point's vectors (VectorStruct): a bare array is the unnamed vector (key ""), an object maps
    /// vector names to dense arrays or multivectors.
    /// </summary>
    public static Dictionary<string, VectorData> ReadVectorStruct(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            return new Dictionary<string, VectorData>(1, StringComparer.Ordinal) { [VectorsConfig.DefaultName] = ReadVector(e, path) };
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            JsonRead.InvalidType(e, path, "a vector (array of numbers) or a map of named vectors");
        }

        if (e.TryGetProperty("indices", out _) && e.TryGetProperty("values", out _))
        {
            ThrowHelper.ThrowError(SparseRules.Unnamed);
        }

        // A document for the unnamed vector (a name map never holds a string).
        if (e.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return new Dictionary<string, VectorData>(1, StringComparer.Ordinal) { [VectorsConfig.DefaultName] = ReadDocument(e, path) };
        }

        var named = new Dictionary<string, VectorData>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            named[property.Name] = ReadVector(property.Value, BodyPath.Field(path, property.Name));
        }

        return named;
    }

    /// <summary>Whether <paramref name="e"/> is shaped as a sparse vector (an object with indices or values).</summary>
    public static bool IsSparse(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && (e.TryGetProperty("indices", out _) || e.TryGetProperty("values", out _));

    /// <summary>A sparse vector: <c>{"indices": [u32...], "values": [f32...]}</c>, both required.</summary>
    public static SparseVector ReadSparse(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "a sparse vector {\"indices\",\"values\"}");
        if (!e.TryGetProperty("indices", out var indices) || JsonRead.IsAbsent(indices))
        {
            JsonRead.Missing(path, "indices");
        }

        if (!e.TryGetProperty("values", out var values) || JsonRead.IsAbsent(values))
        {
            JsonRead.Missing(path, "values");
        }

        var indicesAt = BodyPath.Field(path, "indices");
        JsonRead.Array(indices, indicesAt);
        var ids = new uint[indices.GetArrayLength()];
        var i = 0;
        foreach (var item in indices.EnumerateArray())
        {
            ids[i] = JsonRead.UInt32(item, BodyPath.Index(indicesAt, i));
            i++;
        }

        var valuesAt = BodyPath.Field(path, "values");
        JsonRead.Array(values, valuesAt);
        var weights = new float[values.GetArrayLength()];
        i = 0;
        foreach (var item in values.EnumerateArray())
        {
            weights[i] = JsonRead.Single(item, BodyPath.Index(valuesAt, i));
            i++;
        }

        return new SparseVector(ids, weights);
    }

    /// <summary>One vector's slot in the batch form: for each point, a dense vector, a multivector or a sparse vector.</summary>
    public static List<VectorData> ReadVectorList(JsonElement e, string path)
    {
        JsonRead.Array(e, path);
        var list = new List<VectorData>(e.GetArrayLength());
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            list.Add(ReadVector(item, BodyPath.Index(path, i++)));
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
            ThrowHelper.ThrowError(SparseRules.WrongSparse);
        }

        if (e.TryGetProperty("image", out _) || e.TryGetProperty("object", out _))
        {
            ThrowHelper.ThrowError(Unsupported.InferenceInputs);
        }
    }
}
