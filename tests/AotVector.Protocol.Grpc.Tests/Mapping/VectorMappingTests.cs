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
    public void ToVector_DenseOneof_ReadsValues()
    {
        var vector = new Wire.Vector { Dense = Dense(1, 2, 3) };

        Assert.Equal(new DenseVector([1f, 2f, 3f]), VectorMapping.ToVector(vector).Value!);
    }

    [Fact]
    public void ToVector_DeprecatedData_ReadsValues()
    {
        var vector = new Wire.Vector();
        vector.Data.Add([4f, 5f]);

        Assert.Equal(new DenseVector([4f, 5f]), VectorMapping.ToVector(vector).Value!);
    }

    [Fact]
    public void ToVector_SparseOneof_AndDeprecatedIndicesForm_AreSparse()
    {
        var current = new Wire.SparseVector();
        current.Values.Add([1f, 2f]);
        current.Indices.Add([3u, 9u]);
        var legacy = new Wire.Vector { Indices = new Wire.SparseIndices() };
        legacy.Indices.Data.Add([3u, 9u]);
        legacy.Data.Add([1f, 2f]);

        Assert.Equal(new SparseVector([3u, 9u], [1f, 2f]), VectorMapping.ToVector(new Wire.Vector { Sparse = current }).Value);
        Assert.Equal(new SparseVector([3u, 9u], [1f, 2f]), VectorMapping.ToVector(legacy).Value);
    }

    [Fact]
    public void Output_Sparse_IsTheSparseOneof()
    {
        var output = VectorMapping.ToWire(new Dictionary<string, VectorData> { ["text"] = new SparseVector([3u], [0.5f]) })!;

        Assert.Equal([3u], output.Vectors.Vectors["text"].Sparse.Indices);
        Assert.Equal([0.5f], output.Vectors.Vectors["text"].Sparse.Values);
    }

    [Fact]
    public void ToVector_MultiDense_ReadsRows()
    {
        var multi = new Wire.MultiDenseVector();
        multi.Vectors.Add(Dense(1, 2));
        multi.Vectors.Add(Dense(3, 4));

        Assert.Equal(new MultiDenseVector([1, 2, 3, 4], 2), VectorMapping.ToVector(new Wire.Vector { MultiDense = multi }).Value!);
    }

    [Fact]
    public void ToVector_DeprecatedFlatMulti_SplitsByVectorsCount()
    {
        var vector = new Wire.Vector { VectorsCount = 3 };
        vector.Data.Add([1f, 2f, 3f, 4f, 5f, 6f]);
        Assert.Equal(new MultiDenseVector([1, 2, 3, 4, 5, 6], 2), VectorMapping.ToVector(vector).Value!);

        var zero = new Wire.Vector { VectorsCount = 0 };
        zero.Data.Add(1f);
        Assert.Contains("vectors count must be greater than 0", VectorMapping.ToVector(zero).Error.Message);

        // As the reference: the row size is len / count rounded down, so 3 values in "2" rows are 3 rows of 1 (which
        // the collection then refuses by size).
        var uneven = new Wire.Vector { VectorsCount = 2 };
        uneven.Data.Add([1f, 2f, 3f]);
        Assert.Equal(new MultiDenseVector([1, 2, 3], 1), VectorMapping.ToVector(uneven).Value!);
    }

    [Fact]
    public void ToVector_BadMultiDense_IsRefusedAsTheRestReaderRefusesIt()
    {
        Assert.Contains("multi vector must not be empty", VectorMapping.ToVector(new Wire.Vector { MultiDense = new Wire.MultiDenseVector() }).Error.Message);

        var ragged = new Wire.MultiDenseVector();
        ragged.Vectors.Add(Dense(1, 2));
        ragged.Vectors.Add(Dense(3));
        Assert.Contains("all vectors must have the same dimension, found vector with dimension 1", VectorMapping.ToVector(new Wire.Vector { MultiDense = ragged }).Error.Message);
    }

    [Fact]
    public void ToVector_Document_ReadAsGiven_ImageRefused()
    {
        var document = Assert.IsType<DocumentVector>(VectorMapping.ToVector(new Wire.Vector { Document = new Wire.Document { Text = "x", Model = "qdrant/bm25" } }).Value);
        Assert.Equal(("x", "qdrant/bm25"), (document.Text, document.Model));
        Assert.False(VectorMapping.ToVector(new Wire.Vector { Image = new Wire.Image { Model = "clip" } }).IsOk);
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
