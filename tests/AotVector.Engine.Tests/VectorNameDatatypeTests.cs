using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests;

/// <summary>
/// Vectors added to a collection with a <c>datatype</c>: kept in the config across a crash, stored as that datatype
/// (values read back rounded or truncated), scored over the stored values, and compared with the datatype when the
/// same name is added again, as the reference does.
/// </summary>
public sealed class VectorNameDatatypeTests
{
    private static readonly AccessContext s_full = EngineFixture.Full;

    private static Result<UpdateResult> Add(EngineFixture f, string name, NewDenseVector? dense, NewSparseVector? sparse, string? datatype, bool wait = true) =>
        f.Engine.CreateVectorNameAsync(s_full, "c", new CreateVectorNameRequest(name, dense, sparse, datatype), new WriteOptions(wait), default).AsTask().Result;

    private static void Ok<T>(Result<T> result) => Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);

    private static IReadOnlyDictionary<string, VectorData> Vectors(EngineFixture f, ulong id)
    {
        var found = f.Engine.RetrieveAsync(s_full, "c", new RetrieveRequest([id], WithPayload.None, WithVector.All), default).AsTask().Result.Value!;
        return Assert.Single(found).Vectors!;
    }

    [Fact]
    public async Task AddedTypedVectors_AreStoredAsTheirDatatype_AcrossACrash()
    {
        using var f = new EngineFixture();
        var request = new CreateCollectionRequest("c", new VectorsConfig(null, new Dictionary<string, VectorParams> { ["a"] = new(2, Distance.Dot) }));
        Assert.True((await f.Engine.CreateAsync(s_full, request, default)).IsOk);
        f.Upsert("c", new PointStruct(1ul, new Dictionary<string, VectorData> { ["a"] = new float[] { 1, 0 } }, null));

        Ok(Add(f, "u", new NewDenseVector(3, Distance.Dot), null, "uint8", wait: false));
        Ok(Add(f, "h", new NewDenseVector(2, Distance.Euclid, new MultiVectorConfig(MultiVectorComparator.MaxSim)), null, "float16", wait: false));
        Ok(Add(f, "s", null, new NewSparseVector(), "float16", wait: false));
        f.Reopen(flushFirst: false);

        var config = f.Engine.GetInfo(s_full, "c").Value!.Config.Params;
        Assert.Equal(VectorDatatype.Uint8, config.Vectors.Find("u")!.Datatype);
        Assert.Equal(VectorDatatype.Float16, config.Vectors.Find("h")!.Datatype);
        Assert.Equal("float16", config.SparseVectors!["s"].Index!.Datatype);

        Ok(await f.Engine.UpdateAsync(s_full, "c", new UpdateVectors([new PointVectors(1ul, new Dictionary<string, VectorData>
        {
            ["u"] = new float[] { 3.7f, 300f, -1f },
            ["h"] = new MultiDenseVector([0.1f, 1000.3f, 2f, 2f], 2),
        })]), new WriteOptions(true), default));
        f.Reopen(flushFirst: false);

        var stored = Vectors(f, 1);
        Assert.Equal(new float[] { 3, 255, 0 }, ((DenseVector)stored["u"]).Values);
        Assert.Equal(new float[] { (float)(Half)0.1f, (float)(Half)1000.3f, 2f, 2f }, ((MultiDenseVector)stored["h"]).Values);

        var hit = Assert.Single((await f.Engine.QueryAsync(s_full, "c", new QueryRequest(new NearestQuery(new DenseVectorInput([2.9f, 1f, 0f])), "u", null, 10, 0, null, null, WithPayload.None, WithVector.None), default, default)).Value!);
        Assert.Equal((2f * 3f) + 255f, hit.Score);
    }

    [Fact]
    public async Task AddingTheSameNameAgain_ComparesTheDatatype()
    {
        using var f = new EngineFixture();
        var request = new CreateCollectionRequest("c", new VectorsConfig(null, new Dictionary<string, VectorParams> { ["a"] = new(2, Distance.Dot) }));
        Assert.True((await f.Engine.CreateAsync(s_full, request, default)).IsOk);
        Ok(Add(f, "u", new NewDenseVector(3, Distance.Dot), null, "uint8"));
        Ok(Add(f, "s", null, new NewSparseVector(), "uint8"));

        Ok(Add(f, "u", new NewDenseVector(3, Distance.Dot), null, "uint8"));
        Assert.Equal("Wrong input: Vector `u` already exists with a different configuration", Add(f, "u", new NewDenseVector(3, Distance.Dot), null, null).Error.Message);
        Assert.Equal("Wrong input: Vector `u` already exists with a different configuration", Add(f, "u", new NewDenseVector(3, Distance.Dot), null, "float32").Error.Message);
        Assert.Equal("Wrong input: Sparse vector `s` already exists with a different configuration", Add(f, "s", null, new NewSparseVector(), "float16").Error.Message);
        Assert.StartsWith("Wrong input: vector datatype `turbo4` is not supported yet", Add(f, "t", new NewDenseVector(3, Distance.Dot), null, "turbo4").Error.Message);
    }
}
