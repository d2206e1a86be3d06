using System.Text.Json;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// The body of PUT /collections/{name}/vectors/{vector_name}: <c>{"dense": {"size","distance","multivector_config",
/// "datatype"}}</c> or <c>{"sparse": {"modifier","datatype"}}</c>. Shape errors name their JSON path; the rules that
/// need no collection are the engine's (<see cref="VectorNameRules"/>), so gRPC refuses the same requests.
/// </summary>
internal static class VectorNameReader
{
    public static CreateVectorNameRequest Read(JsonElement root, string vectorName)
    {
        const string Expected = "a new vector {\"dense\": {\"size\",\"distance\"}} or {\"sparse\": {}}";
        JsonRead.Object(root, "", Expected);
        NewDenseVector? dense = null;
        NewSparseVector? sparse = null;
        string? datatype = null;
        foreach (var p in root.EnumerateObject())
        {
            var at = BodyPath.Field("", p.Name);
            switch (p.Name)
            {
                case "dense" when !JsonRead.IsAbsent(p.Value):
                    (dense, datatype) = ReadDense(p.Value, at);
                    break;
                case "sparse" when !JsonRead.IsAbsent(p.Value):
                    (sparse, datatype) = ReadSparse(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        if (dense is not null && sparse is not null)
        {
            ThrowHelper.ThrowFormat("", "give either `dense` or `sparse`, not both");
        }

        if (dense is null && sparse is null)
        {
            ThrowHelper.ThrowFormat("", "expected " + Expected);
        }

        return new CreateVectorNameRequest(vectorName, dense, sparse, datatype);
    }

    private static (NewDenseVector, string?) ReadDense(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "dense vector config {\"size\",\"distance\"}");
        ulong? size = null;
        Distance? distance = null;
        MultiVectorConfig? multi = null;
        string? datatype = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "size":
                    size = JsonRead.UInt64(p.Value, at);
                    break;
                case "distance":
                    distance = ConfigReader.ReadDistance(p.Value, at);
                    break;
                case "multivector_config":
                    multi = ConfigReader.ReadMultiVectorConfig(p.Value, at);
                    break;
                case "datatype":
                    datatype = ReadDatatype(p.Value, at);
                    break;
                default:
                    // Accepted and ignored, as the reference's reader does.
                    break;
            }
        }

        if (size is null)
        {
            JsonRead.Missing(path, "size");
        }

        if (distance is null)
        {
            JsonRead.Missing(path, "distance");
        }

        return (new NewDenseVector(size.Value, distance.Value, multi), datatype);
    }

    private static (NewSparseVector, string?) ReadSparse(JsonElement e, string path)
    {
        JsonRead.Object(e, path, "sparse vector config {\"modifier\",\"datatype\"}");
        SparseModifier? modifier = null;
        string? datatype = null;
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "modifier":
                    modifier = SparseConfigReader.ReadModifier(p.Value, at);
                    break;
                case "datatype":
                    datatype = ReadDatatype(p.Value, at);
                    break;
                default:
                    break;
            }
        }

        return (new NewSparseVector(modifier), datatype);
    }

    private static string? ReadDatatype(JsonElement e, string path) => JsonRead.OptionalString(e, path) switch
    {
        null => null,
        var known and ("float32" or "float16" or "uint8" or "turbo4") => known,
        var other => ThrowHelper.ThrowFormat<string>(path, "unknown variant `" + other + "`, expected one of `float32`, `float16`, `uint8`, `turbo4`"),
    };
}
