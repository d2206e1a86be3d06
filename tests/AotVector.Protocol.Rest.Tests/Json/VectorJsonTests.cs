using System.Text;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class VectorJsonTests
{
    private static Dictionary<string, VectorData> Read(string json) => Body.Ok(json, e => VectorJson.ReadVectorStruct(e, "vector"));

    private static AvError Fail(string json) => Body.Fail(json, e => VectorJson.ReadVectorStruct(e, "vector"));

    [Fact]
    public void Read_BareArray_IsUnnamedVector()
    {
        var vectors = Read("[0.05, 0.61, 1, -2e-3]");
        Assert.Equal([0.05f, 0.61f, 1f, -0.002f], ((DenseVector)Assert.Single(vectors, kv => kv.Key == "").Value).Values);
    }

    [Fact]
    public void Read_NamedMap()
    {
        var vectors = Read("""{"image":[1,2],"text":[3]}""");
        Assert.Equal([1f, 2f], ((DenseVector)vectors["image"]).Values);
        Assert.Equal([3f], ((DenseVector)vectors["text"]).Values);
    }

    [Fact]
    public void Read_EmptyMap_NoVectors() => Assert.Empty(Read("{}"));

    [Fact]
    public void Read_NamedSparse_BesideDense()
    {
        var vectors = Read("""{"text":{"indices":[7,1],"values":[0.2,0.9]},"image":[1,2]}""");

        Assert.Equal(new SparseVector([7u, 1u], [0.2f, 0.9f]), vectors["text"]);
        Assert.Equal(new DenseVector([1f, 2f]), vectors["image"]);
    }

    [Fact]
    public void Read_Sparse_Errors()
    {
        Assert.Equal("Wrong input: a sparse vector must be named: {\"<name>\": {\"indices\": [...], \"values\": [...]}}", Fail("""{"indices":[1,7],"values":[0.2,0.9]}""").Message);
        Assert.Equal("Format error in JSON body: missing field `indices` at vector.text", Fail("""{"text":{"values":[0.2]}}""").Message);
        Assert.StartsWith("Format error in JSON body: invalid type: floating point", Fail("""{"text":{"indices":[1.5],"values":[0.2]}}""").Message);
    }

    [Fact]
    public void Write_Sparse_IndicesThenValues()
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            VectorJson.WriteVectors(writer, new Dictionary<string, VectorData> { ["text"] = new SparseVector([1u, 7u], [0.5f, 2f]) });
        }

        Assert.Equal("""{"text":{"indices":[1,7],"values":[0.5,2]}}""", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Read_MultiVector_ReadsRows()
    {
        Assert.Equal(new MultiDenseVector([1, 2, 3, 4], 2), Read("[[1,2],[3,4]]")[""]);
        Assert.Equal(new MultiDenseVector([1, 2], 2), Read("""{"colbert":[[1,2]]}""")["colbert"]);
    }

    [Fact]
    public void Read_BadMultiVector_NamesTheProblem()
    {
        Assert.Contains("all vectors must have the same dimension, found vector with dimension 1", Fail("[[1,2],[3]]").Message);
        Assert.Contains("all vectors must be non-empty", Fail("""{"colbert":[[1,2],[]]}""").Message);
    }

    [Fact]
    public void Read_InferenceImage_NotSupported() =>
        Assert.Contains("inference inputs", Fail("""{"img":{"image":"a.png","model":"clip"}}""").Message);

    [Fact]
    public void ReadVectorStruct_Document_ReadAsGiven()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("""{"text":{"text":"hello","model":"qdrant/bm25","options":{"k":1.5}}}""");
        var vector = Assert.IsType<DocumentVector>(VectorJson.ReadVectorStruct(doc.RootElement, "vector")["text"]);
        Assert.Equal("hello", vector.Text);
        Assert.Equal("qdrant/bm25", vector.Model);
        Assert.Equal(1.5, vector.Options!["k"]!.AsDouble);
    }

    [Fact]
    public void Read_EmptyVector_ValidationError()
    {
        var error = Fail("[]");
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("Validation error in JSON body: [vector: all vectors must be non-empty]", error.Message);
    }

    [Fact]
    public void Read_NonNumber_FormatErrorNamesElement()
    {
        var error = Fail("""[1,"x"]""");
        Assert.Equal("Format error in JSON body: invalid type: string \"x\", expected f32 at vector[1]", error.Message);
    }

    [Fact]
    public void WriteVectors_UnnamedAsBareArray_NamedAsMap()
    {
        Assert.Equal("[1,2.5]", Write(new Dictionary<string, VectorData> { [""] = (float[])[1f, 2.5f] }));
        Assert.Equal("""{"a":[1],"b":[2]}""", Write(new Dictionary<string, VectorData> { ["a"] = (float[])[1f], ["b"] = (float[])[2f] }));
        Assert.Equal("{}", Write(new Dictionary<string, VectorData>()));
    }

    private static string Write(Dictionary<string, VectorData> vectors)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, ResponseWriter.Options))
        {
            VectorJson.WriteVectors(writer, vectors);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
