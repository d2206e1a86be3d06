using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests;

/// <summary>Named vectors added to and removed from collections that hold points: config, data, restart and crash.</summary>
public sealed class VectorNameTests
{
    private static readonly AccessContext s_full = EngineFixture.Full;

    private static void CreateNamed(EngineFixture f)
    {
        var request = new CreateCollectionRequest("c", new VectorsConfig(null, new Dictionary<string, VectorParams> { ["a"] = new(2, Distance.Dot) }));
        Assert.True(f.Engine.CreateAsync(s_full, request, default).AsTask().Result.IsOk);
    }

    private static Result<UpdateResult> Add(EngineFixture f, string name, NewDenseVector? dense, NewSparseVector? sparse = null, bool wait = true, string collection = "c") =>
        f.Engine.CreateVectorNameAsync(s_full, collection, new CreateVectorNameRequest(name, dense, sparse), new WriteOptions(wait), default).AsTask().Result;

    private static Result<UpdateResult> Remove(EngineFixture f, string name, string collection = "c") =>
        f.Engine.DeleteVectorNameAsync(s_full, collection, name, new WriteOptions(true), default).AsTask().Result;

    private static void Ok<T>(Result<T> result) => Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);

    private static PointStruct Point(ulong id, params (string Name, VectorData Vector)[] vectors) =>
        new(id, vectors.ToDictionary(v => v.Name, v => v.Vector), null);

    private static IReadOnlyDictionary<string, VectorData> Vectors(EngineFixture f, ulong id, string collection = "c")
    {
        var found = f.Engine.RetrieveAsync(s_full, collection, new RetrieveRequest([id], WithPayload.None, WithVector.All), default).AsTask().Result.Value!;
        return Assert.Single(found).Vectors!;
    }

    private static Result<IReadOnlyList<ScoredPoint>> Query(EngineFixture f, string vectorName, VectorInput query) =>
        f.Engine.QueryAsync(s_full, "c", new QueryRequest(new NearestQuery(query), vectorName, null, 10, 0, null, null, WithPayload.None, WithVector.None), default, default).AsTask().Result;

    private static Result<UpdateResult> Write(EngineFixture f, UpdateOperation op, string collection = "c") =>
        f.Engine.UpdateAsync(s_full, collection, op, new WriteOptions(true), default).AsTask().Result;

    [Fact]
    public void AddedDenseVector_IsAbsentFromExistingPoints_ThenWrittenSearchedAndKeptOverRestartAndCrash()
    {
        using var f = new EngineFixture();
        CreateNamed(f);
        f.Upsert("c", Point(1, ("a", new float[] { 1, 0 })), Point(2, ("a", new float[] { 0, 1 })));

        Ok(Add(f, "b", new NewDenseVector(3, Distance.Dot)));

        Assert.Equal(new VectorParams(3, Distance.Dot), f.Engine.GetInfo(s_full, "c").Value!.Config.Params.Vectors.Find("b"));
        Assert.Equal(["a"], Vectors(f, 1).Keys);
        Ok(Write(f, new UpdateVectors([new PointVectors(1ul, new Dictionary<string, VectorData> { ["b"] = new float[] { 1, 0, 0 } })])));
        f.Upsert("c", Point(3, ("a", new float[] { 1, 1 }), ("b", new float[] { 2, 0, 0 })));

        f.Reopen();
        Assert.Equal([3ul, 1ul], Query(f, "b", new DenseVectorInput([1, 0, 0])).Value!.Select(h => h.Id.Num));
        f.Upsert("c", Point(4, ("b", new float[] { 3, 0, 0 })));
        f.Reopen(flushFirst: false);

        Assert.Equal([4ul, 3ul, 1ul], Query(f, "b", new DenseVectorInput([1, 0, 0])).Value!.Select(h => h.Id.Num));
        Assert.Equal(["a", "b"], Vectors(f, 1).Keys.Order());
        Assert.Equal(["a"], Vectors(f, 2).Keys);
    }

    [Fact]
    public void AcknowledgedAdd_SurvivesACrash_AndTakesWrites()
    {
        using var f = new EngineFixture();
        CreateNamed(f);
        f.Upsert("c", Point(1, ("a", new float[] { 1, 0 })));

        Ok(Add(f, "s", null, new NewSparseVector(SparseModifier.Idf), wait: false));
        Ok(Add(f, "m", new NewDenseVector(2, Distance.Cosine, new MultiVectorConfig(MultiVectorComparator.MaxSim)), wait: false));
        f.Reopen(flushFirst: false);

        var config = f.Engine.GetInfo(s_full, "c").Value!.Config.Params;
        Assert.Equal(SparseModifier.Idf, config.SparseVectors!["s"].Modifier);
        Assert.NotNull(config.Vectors.Find("m")!.MultivectorConfig);
        Ok(Write(f, new UpdateVectors([new PointVectors(1ul, new Dictionary<string, VectorData> { ["s"] = new SparseVector([7], [2f]), ["m"] = new MultiDenseVector([1, 0, 0, 1], 2) })])));
        Assert.Equal([1ul], Query(f, "s", new SparseVectorInput(new SparseVector([7], [1f]))).Value!.Select(h => h.Id.Num));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeletedVector_IsGoneFromEveryPoint_AndARecreatedOneStartsEmpty(bool sparse)
    {
        using var f = new EngineFixture();
        CreateNamed(f);
        VectorData Value(float x) => sparse ? new SparseVector([1], [x]) : new float[] { x, 0, 0 };
        void AddB() => Ok(sparse ? Add(f, "b", null, new NewSparseVector()) : Add(f, "b", new NewDenseVector(3, Distance.Dot)));
        AddB();
        f.Upsert("c", Point(1, ("a", new float[] { 1, 0 }), ("b", Value(1))), Point(2, ("a", new float[] { 0, 1 }), ("b", Value(2))));
        f.Reopen();

        Ok(Remove(f, "b"));

        Assert.Equal(["a"], Vectors(f, 1).Keys);
        var config = f.Engine.GetInfo(s_full, "c").Value!.Config.Params;
        Assert.Null(config.Vectors.Find("b"));
        Assert.Null(config.SparseVectors);
        Assert.StartsWith("Wrong input: Not existing vector name error: b", Query(f, "b", sparse ? new SparseVectorInput(new SparseVector([1], [1f])) : new DenseVectorInput([1, 0, 0])).Error.Message);
        Assert.StartsWith("Wrong input: Not existing vector name error: b", Write(f, new UpsertPoints([Point(3, ("b", Value(3)))])).Error.Message);

        f.Reopen(flushFirst: false);
        Assert.Equal(["a"], Vectors(f, 2).Keys);
        AddB();
        Assert.Equal(["a"], Vectors(f, 1).Keys);
        Assert.Empty(Query(f, "b", sparse ? new SparseVectorInput(new SparseVector([1], [1f])) : new DenseVectorInput([1, 0, 0])).Value!);
        f.Reopen(flushFirst: false);
        Assert.Equal(["a"], Vectors(f, 2).Keys);
    }

    [Fact]
    public void RecreatedWithAnotherShape_TakesTheNewShape_OverACrash()
    {
        using var f = new EngineFixture();
        CreateNamed(f);
        Ok(Add(f, "b", new NewDenseVector(3, Distance.Dot)));
        f.Upsert("c", Point(1, ("a", new float[] { 1, 0 }), ("b", new float[] { 1, 0, 0 })));
        Ok(Remove(f, "b"));
        Ok(Add(f, "b", new NewDenseVector(5, Distance.Euclid)));
        f.Upsert("c", Point(2, ("b", new float[] { 1, 0, 0, 0, 0 })));
        f.Reopen(flushFirst: false);

        Assert.Equal(["a"], Vectors(f, 1).Keys);
        Assert.Equal(new VectorParams(5, Distance.Euclid), f.Engine.GetInfo(s_full, "c").Value!.Config.Params.Vectors.Find("b"));
        Assert.Equal([2ul], Query(f, "b", new DenseVectorInput([1, 0, 0, 0, 0])).Value!.Select(h => h.Id.Num));
    }

    [Fact]
    public void ExistingNames_SameShapeChangesNothing_OtherShapeOrKindIsRefused()
    {
        using var f = new EngineFixture();
        CreateNamed(f);
        Ok(Add(f, "s", null, new NewSparseVector(SparseModifier.Idf)));

        Ok(Add(f, "a", new NewDenseVector(2, Distance.Dot)));
        Ok(Add(f, "s", null, new NewSparseVector(SparseModifier.Idf)));
        Assert.Equal("Wrong input: Vector `a` already exists with a different configuration", Add(f, "a", new NewDenseVector(3, Distance.Dot)).Error.Message);
        Assert.Equal("Wrong input: Vector `a` already exists as a dense vector", Add(f, "a", null, new NewSparseVector()).Error.Message);
        Assert.Equal("Wrong input: Vector `s` already exists as a sparse vector", Add(f, "s", new NewDenseVector(2, Distance.Dot)).Error.Message);
        Assert.Equal("Wrong input: Sparse vector `s` already exists with a different configuration", Add(f, "s", null, new NewSparseVector()).Error.Message);
        Assert.Equal(2ul, f.Engine.GetInfo(s_full, "c").Value!.Config.Params.Vectors.Find("a")!.Size);
    }

    [Fact]
    public void BadRequests_AreRefusedWithTheReferenceWords()
    {
        using var f = new EngineFixture();
        CreateNamed(f);

        Assert.Equal("Wrong input: Invalid vector name `x/y`: vector name cannot contain \"/\" char", Add(f, "x/y", new NewDenseVector(2, Distance.Dot)).Error.Message);
        Assert.Equal("Wrong input: Invalid vector name `" + new string('v', 201) + "`: vector name must be at most 200 bytes long", Add(f, new string('v', 201), new NewDenseVector(2, Distance.Dot)).Error.Message);
        Assert.Equal("Validation error in JSON body: [dense.size: value 0 invalid, must be from 1 to 65536]", Add(f, "b", new NewDenseVector(0, Distance.Dot)).Error.Message);
        Assert.Equal("Wrong input: Sparse vector name cannot be empty", Add(f, "", null, new NewSparseVector()).Error.Message);
        Assert.Equal("Wrong input: a new vector is either `dense` or `sparse`: give exactly one of them", Add(f, "b", null).Error.Message);
        Assert.Equal(ErrorKind.NotFound, Add(f, "b", new NewDenseVector(2, Distance.Dot), collection: "missing").Error.Kind);
        Assert.Equal(["a"], f.Engine.GetInfo(s_full, "c").Value!.Config.Params.Vectors.All.Select(v => v.Key));
    }

    [Fact]
    public async Task PointsOnlyAccess_IsRefused_AsForPayloadIndexes()
    {
        using var f = new EngineFixture();
        CreateNamed(f);
        var prw = new AccessContext(AccessLevel.None, new Dictionary<string, AccessLevel> { ["c"] = AccessLevel.PointsReadWrite });

        var add = await f.Engine.CreateVectorNameAsync(prw, "c", new CreateVectorNameRequest("b", new NewDenseVector(2, Distance.Dot), null), new WriteOptions(true), default);
        var remove = await f.Engine.DeleteVectorNameAsync(prw, "c", "a", new WriteOptions(true), default);

        Assert.Equal("Forbidden: Only points access is allowed for collection c", add.Error.Message);
        Assert.Equal("Forbidden: Only points access is allowed for collection c", remove.Error.Message);
    }

    [Fact]
    public void RemovingAMissingName_ChangesNothing_AndRemovingTheLastLeavesPayloadOnlyPoints()
    {
        using var f = new EngineFixture();
        CreateNamed(f);
        f.Upsert("c", Point(1, ("a", new float[] { 1, 0 })));

        Ok(Remove(f, "nope"));
        Ok(Remove(f, "a"));
        f.Reopen(flushFirst: false);

        Assert.Empty(f.Engine.GetInfo(s_full, "c").Value!.Config.Params.Vectors.All);
        Assert.Empty(Vectors(f, 1));
        Assert.Equal(1ul, f.Engine.GetInfo(s_full, "c").Value!.PointsCount);
    }

    [Fact]
    public void UnnamedVector_BecomesTheEmptyName_WhenANameIsAdded_AndCanBeRemoved()
    {
        using var f = new EngineFixture();
        f.CreateCollection("u", 2, Distance.Dot);
        f.Upsert("u", EngineFixture.Point(1, [1, 0]));

        Ok(Add(f, "b", new NewDenseVector(2, Distance.Dot), collection: "u"));
        var vectors = f.Engine.GetInfo(s_full, "u").Value!.Config.Params.Vectors;
        Assert.Null(vectors.Single);
        Assert.Equal(["", "b"], vectors.Named!.Keys.Order());
        f.Upsert("u", EngineFixture.Point(2, [0, 1]));

        Ok(Remove(f, "", collection: "u"));
        f.Reopen(flushFirst: false);

        Assert.Equal(["b"], f.Engine.GetInfo(s_full, "u").Value!.Config.Params.Vectors.All.Select(v => v.Key));
        Assert.Empty(Vectors(f, 1, "u"));
        Assert.Empty(Vectors(f, 2, "u"));
    }
}
