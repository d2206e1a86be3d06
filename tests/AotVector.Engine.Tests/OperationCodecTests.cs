using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests;

public sealed class OperationCodecTests
{
    [Fact]
    public void Every_vector_kind_survives_the_wal_round_trip()
    {
        var vectors = new Dictionary<string, VectorData>(StringComparer.Ordinal)
        {
            ["dense"] = new DenseVector([1f, -2.5f, 3f]),
            ["sparse"] = new SparseVector([3u, 17u, 40_000u], [0.5f, 1.25f, -4f]),
            ["multi"] = new MultiDenseVector([1f, 2f, 3f, 4f, 5f, 6f], 2),
        };
        var op = new UpsertPoints([new PointStruct(7ul, vectors, null)]);

        var decoded = Assert.IsType<UpsertPoints>(OperationCodec.Decode(OperationCodec.Encode(op)));

        var got = Assert.Single(decoded.Points).Vectors;
        Assert.Equal([1f, -2.5f, 3f], Assert.IsType<DenseVector>(got["dense"]).Values);
        var sparse = Assert.IsType<SparseVector>(got["sparse"]);
        Assert.Equal([3u, 17u, 40_000u], sparse.Indices);
        Assert.Equal([0.5f, 1.25f, -4f], sparse.Values);
        var multi = Assert.IsType<MultiDenseVector>(got["multi"]);
        Assert.Equal(2, multi.Dimension);
        Assert.Equal(3, multi.Count);
        Assert.Equal([5f, 6f], multi.Row(2).ToArray());
    }

    [Fact]
    public void Vector_name_operations_survive_the_wal_round_trip_with_their_shape()
    {
        var dense = Assert.IsType<CreateVectorName>(OperationCodec.Decode(OperationCodec.Encode(new CreateVectorName("colbert", new Segment.VectorSpec(128, Distance.Dot, Multi: true)))));
        var sparse = Assert.IsType<CreateVectorName>(OperationCodec.Decode(OperationCodec.Encode(new CreateVectorName("text", null))));
        var delete = Assert.IsType<DeleteVectorName>(OperationCodec.Decode(OperationCodec.Encode(new DeleteVectorName("image"))));

        Assert.Equal(("colbert", new Segment.VectorSpec(128, Distance.Dot, true)), (dense.Name, dense.Dense));
        Assert.Equal(("text", (Segment.VectorSpec?)null), (sparse.Name, sparse.Dense));
        Assert.Equal("image", delete.Name);
    }

    [Fact]
    public void A_vector_name_keeps_its_datatype_and_an_entry_written_before_datatypes_is_float32()
    {
        var typed = new Segment.VectorSpec(8, Distance.Cosine, Multi: true, VectorDatatype.Float16);
        Assert.Equal(typed, Assert.IsType<CreateVectorName>(OperationCodec.Decode(OperationCodec.Encode(new CreateVectorName("h", typed)))).Dense);

        var entry = OperationCodec.Encode(new CreateVectorName("u", new Segment.VectorSpec(8, Distance.Dot, Datatype: VectorDatatype.Uint8)));
        var old = Assert.IsType<CreateVectorName>(OperationCodec.Decode(entry[..^1]));
        Assert.Equal(new Segment.VectorSpec(8, Distance.Dot), old.Dense);

        entry[^1] = 200; // no such datatype
        Assert.Throws<InvalidDataException>(() => OperationCodec.Decode(entry));
    }

    [Fact]
    public void A_vector_name_entry_with_an_impossible_shape_is_invalid_data()
    {
        var entry = OperationCodec.Encode(new CreateVectorName("v", new Segment.VectorSpec(4, Distance.Cosine)));
        entry[^7] = 0; // the dimension's low byte: 0 dimensions

        Assert.Throws<InvalidDataException>(() => OperationCodec.Decode(entry));
    }

    [Fact]
    public void A_version_1_entry_written_before_vector_kinds_still_decodes_as_dense()
    {
        // | version 1 | tag upsert | 1 point | id | 1 vector | name "" | dim 2 | 2 floats | no payload |
        var entry = new List<byte> { 1, 1 };
        entry.AddRange(BitConverter.GetBytes(1u));
        var id = new byte[PointId.EncodedSize];
        ((PointId)5ul).WriteTo(id);
        entry.AddRange(id);
        entry.AddRange(BitConverter.GetBytes(1u));
        entry.AddRange(BitConverter.GetBytes(0u));
        entry.AddRange(BitConverter.GetBytes(2u));
        entry.AddRange(BitConverter.GetBytes(0.25f));
        entry.AddRange(BitConverter.GetBytes(-1f));
        entry.Add(0);

        var decoded = Assert.IsType<UpsertPoints>(OperationCodec.Decode(entry.ToArray()));

        var point = Assert.Single(decoded.Points);
        Assert.Equal((PointId)5ul, point.Id);
        Assert.Equal([0.25f, -1f], Assert.IsType<DenseVector>(point.Vectors[""]).Values);
    }

    [Fact]
    public void A_sparse_vector_longer_than_its_entry_is_invalid_data()
    {
        var op = new UpsertPoints([new PointStruct(1ul, new Dictionary<string, VectorData> { ["s"] = new SparseVector([1u, 2u], [1f, 2f]) }, null)]);
        var bytes = OperationCodec.Encode(op);

        Assert.Throws<InvalidDataException>(() => OperationCodec.Decode(bytes.AsSpan(0, bytes.Length - 6)));
    }
}
