using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Mapping;
using Wire = Qdrant.Client.Grpc;

#pragma warning disable CS0612 // the deprecated Vector.data form is exactly what these tests cover

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class VectorMappingTests
{
    [Fact]
    public void ToDense_DenseOneof_ReadsValues()
    {
        var vector = new Wire.Vector { Dense = Dense(1, 2, 3) };

        Assert.Equal(new[] { 1f, 2f, 3f }, VectorMapping.ToDense(vector).Value!);
    }

    [Fact]
    public void ToDense_DeprecatedData_ReadsValues()
    {
        var vector = new Wire.Vector();
        vector.Data.Add([4f, 5f]);

        Assert.Equal(new[] { 4f, 5f }, VectorMapping.ToDense(vector).Value!);
    }

    [Fact]
    public void ToDense_Sparse_IsAConversionError()
    {
        var sparse = new Wire.SparseVector();
        sparse.Values.Add(1f);
        sparse.Indices.Add(3);

        var result = VectorMapping.ToDense(new Wire.Vector { Sparse = sparse });

        Assert.Equal(ErrorKind.BadRequest, result.Error.Kind);
        Assert.Equal("Wrong input: Conversion between sparse and regular vectors failed", result.Error.Message);
    }

    [Fact]
    public void ToVectorData_SparseOneof_AndDeprecatedIndicesForm_AreSparse()
    {
        var current = new Wire.SparseVector();
        current.Values.Add([1f, 2f]);
        current.Indices.Add([3u, 9u]);
        var legacy = new Wire.Vector { Indices = new Wire.SparseIndices() };
        legacy.Indices.Data.Add([3u, 9u]);
        legacy.Data.Add([1f, 2f]);

        Assert.Equal(new SparseVector([3u, 9u], [1f, 2f]), VectorMapping.ToVectorData(new Wire.Vector { Sparse = current }).Value);
        Assert.Equal(new SparseVector([3u, 9u], [1f, 2f]), VectorMapping.ToVectorData(legacy).Value);
    }

    [Fact]
    public void Output_Sparse_IsTheSparseOneof()
    {
        var output = VectorMapping.ToWire(new Dictionary<string, VectorData> { ["text"] = new SparseVector([3u], [0.5f]) })!;

        Assert.Equal([3u], output.Vectors.Vectors["text"].Sparse.Indices);
        Assert.Equal([0.5f], output.Vectors.Vectors["text"].Sparse.Values);
    }

    [Fact]
    public void ToDense_MultiDense_IsNotSupported()
    {
        var multi = new Wire.MultiDenseVector();
        multi.Vectors.Add(Dense(1));

        Assert.Equal(ErrorKind.BadRequest, VectorMapping.ToDense(new Wire.Vector { MultiDense = multi }).Error.Kind);
    }

    [Fact]
    public void ToDense_Document_IsNotSupported()
    {
        Assert.False(VectorMapping.ToDense(new Wire.Vector { Document = new Wire.Document { Text = "x" } }).IsOk);
    }

    [Fact]
    public void ToEngine_UnnamedVector_UsesDefaultName()
    {
        var vectors = VectorMapping.ToEngine(new Wire.Vectors { Vector = new Wire.Vector { Dense = Dense(1, 2) } }).Value!;

        Assert.Equal(new[] { 1f, 2f }, vectors[VectorsConfig.DefaultName]);
    }

    [Fact]
    public void ToEngine_NamedVectors_KeepNames()
    {
        var named = new Wire.NamedVectors();
        named.Vectors["image"] = new Wire.Vector { Dense = Dense(1) };
        var legacy = new Wire.Vector();
        legacy.Data.Add(2f);
        named.Vectors["text"] = legacy;

        var vectors = VectorMapping.ToEngine(new Wire.Vectors { Vectors_ = named }).Value!;

        Assert.Equal(new[] { 1f }, vectors["image"]);
        Assert.Equal(new[] { 2f }, vectors["text"]);
    }

    [Fact]
    public void ToEngine_Absent_IsEmpty()
    {
        Assert.Empty(VectorMapping.ToEngine((Wire.Vectors?)null).Value!);
    }

    [Fact]
    public void ToEngine_VectorInput_DenseSparseAndId()
    {
        var dense = VectorMapping.ToEngine(new Wire.VectorInput { Dense = Dense(1, 2) }).Value;
        var id = VectorMapping.ToEngine(new Wire.VectorInput { Id = new Wire.PointId { Num = 9 } }).Value;

        Assert.Equal(new[] { 1f, 2f }, Assert.IsType<DenseVectorInput>(dense).Vector);
        Assert.Equal(9UL, Assert.IsType<PointIdInput>(id).Id.Num);
        Assert.IsType<SparseVectorInput>(VectorMapping.ToEngine(new Wire.VectorInput { Sparse = new Wire.SparseVector() }).Value);
        Assert.False(VectorMapping.ToEngine(new Wire.VectorInput()).IsOk);
    }

    [Fact]
    public void ToWire_SingleUnnamed_IsDenseVectorOutputWithoutData()
    {
        var output = VectorMapping.ToWire(new Dictionary<string, VectorData> { [""] = (float[])[1f, 2f] })!;

        Assert.Equal(Wire.VectorsOutput.VectorsOptionsOneofCase.Vector, output.VectorsOptionsCase);
        Assert.Equal(Wire.VectorOutput.VectorOneofCase.Dense, output.Vector.VectorCase);
        Assert.Equal(new[] { 1f, 2f }, output.Vector.Dense.Data);
        Assert.Empty(output.Vector.Data);
    }

    [Fact]
    public void ToWire_Named_IsNamedDenseOutputs()
    {
        var output = VectorMapping.ToWire(new Dictionary<string, VectorData> { ["a"] = (float[])[1f], ["b"] = (float[])[2f] })!;

        Assert.Equal(Wire.VectorsOutput.VectorsOptionsOneofCase.Vectors, output.VectorsOptionsCase);
        Assert.Equal(new[] { 2f }, output.Vectors.Vectors["b"].Dense.Data);
    }

    [Fact]
    public void ToWire_Null_IsNull()
    {
        Assert.Null(VectorMapping.ToWire(null));
    }

    private static Wire.DenseVector Dense(params float[] values)
    {
        var dense = new Wire.DenseVector();
        dense.Data.Add(values);
        return dense;
    }
}
