using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Mapping;
using Wire = Qdrant.Client.Grpc;

#pragma warning disable CS0612 // Vector.data (positive_vectors) is the deprecated form some clients send

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class QueryMappingTests
{
    [Fact]
    public void ToEngine_Params_CarryAcorn()
    {
        Assert.Equal(new AcornSearchParams(true, 0.25), QueryMapping.ToEngine(new Wire.SearchParams { Acorn = new Wire.AcornSearchParams { Enable = true, MaxSelectivity = 0.25 } })!.Acorn);
        Assert.Equal(new AcornSearchParams(true, null), QueryMapping.ToEngine(new Wire.SearchParams { Acorn = new Wire.AcornSearchParams { Enable = true } })!.Acorn);
        Assert.Equal(new AcornSearchParams(false, null), QueryMapping.ToEngine(new Wire.SearchParams { Acorn = new Wire.AcornSearchParams() })!.Acorn);
        Assert.Null(QueryMapping.ToEngine(new Wire.SearchParams { HnswEf = 8 })!.Acorn);
    }

    [Fact]
    public void ToEngine_Search_UsesRawVectorAndName()
    {
        var search = new Wire.SearchPoints
        {
            CollectionName = "c",
            Limit = 5,
            Offset = 2,
            VectorName = "image",
            ScoreThreshold = 0.5f,
            Params = new Wire.SearchParams { HnswEf = 64, Exact = true },
            WithPayload = new Wire.WithPayloadSelector { Enable = true },
        };
        search.Vector.Add([1f, 2f]);

        var request = QueryMapping.ToEngine(search).Value!;

        var nearest = Assert.IsType<NearestQuery>(request.Query);
        Assert.Equal(new[] { 1f, 2f }, Assert.IsType<DenseVectorInput>(nearest.Target).Vector);
        Assert.Equal("image", request.Using);
        Assert.Equal(5U, request.Limit);
        Assert.Equal(2U, request.Offset);
        Assert.Equal(0.5f, request.ScoreThreshold);
        Assert.Equal(new SearchParams(64, true), request.Params);
        Assert.Equal(WithPayload.All, request.WithPayload);
        Assert.Equal(WithVector.None, request.WithVector);
    }

    [Fact]
    public void ToEngine_SearchLimitZero_NamesLimit()
    {
        var result = QueryMapping.ToEngine(new Wire.SearchPoints { CollectionName = "c" });

        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        Assert.Contains("limit", result.Error.Message);
    }

    [Fact]
    public void ToEngine_SearchWithSparseIndices_IsASparseQuery()
    {
        var search = new Wire.SearchPoints { CollectionName = "c", Limit = 1, VectorName = "text", SparseIndices = new Wire.SparseIndices() };
        search.SparseIndices.Data.Add([4u, 1u]);
        search.Vector.Add([0.25f, 2f]);

        var result = QueryMapping.ToEngine(search).Value!;

        Assert.Equal("text", result.Using);
        var input = Assert.IsType<SparseVectorInput>(Assert.IsType<NearestQuery>(result.Query).Target);
        Assert.Equal(new SparseVector([4u, 1u], [0.25f, 2f]), input.Vector);
    }

    [Fact]
    public void ToEngine_Query_DefaultsLimitTenAndNoPayload()
    {
        var query = new Wire.QueryPoints
        {
            CollectionName = "c",
            Query = new Wire.Query { Nearest = new Wire.VectorInput { Dense = Dense(1, 0) } },
        };

        var request = QueryMapping.ToEngine(query).Value!;

        Assert.Equal(10U, request.Limit);
        Assert.Equal(0U, request.Offset);
        Assert.Equal(WithPayload.None, request.WithPayload);
        Assert.Null(request.Filter);
        Assert.Null(request.Using);
    }

    [Fact]
    public void ToEngine_QueryWithoutQuery_IsScroll()
    {
        var request = QueryMapping.ToEngine(new Wire.QueryPoints { CollectionName = "c", Limit = 3 }).Value!;

        Assert.Null(request.Query);
        Assert.Equal(3U, request.Limit);
    }

    [Fact]
    public void ToEngine_QueryExplicitLimitZero_IsInvalid()
    {
        Assert.Equal(ErrorKind.Validation, QueryMapping.ToEngine(new Wire.QueryPoints { CollectionName = "c", Limit = 0 }).Error.Kind);
    }

    [Fact]
    public void ToEngine_QueryRecommend_MapsExamplesAndStrategy()
    {
        var recommend = new Wire.RecommendInput { Strategy = Wire.RecommendStrategy.BestScore };
        recommend.Positive.Add(new Wire.VectorInput { Id = new Wire.PointId { Num = 1 } });
        recommend.Negative.Add(new Wire.VectorInput { Dense = Dense(0, 1) });
        var query = new Wire.QueryPoints
        {
            CollectionName = "c",
            Query = new Wire.Query { Recommend = recommend },
            LookupFrom = new Wire.LookupLocation { CollectionName = "other", VectorName = "v" },
        };

        var request = QueryMapping.ToEngine(query).Value!;

        var mapped = Assert.IsType<RecommendQuery>(request.Query);
        Assert.Equal(RecommendStrategy.BestScore, mapped.Strategy);
        Assert.Equal(new PointIdInput(PointId.FromNum(1)), Assert.Single(mapped.Positive));
        Assert.IsType<DenseVectorInput>(Assert.Single(mapped.Negative));
        Assert.Equal(new LookupLocation("other", "v"), request.LookupFrom);
    }

    [Fact]
    public void ToEngine_QueryPrefetchTree_AsTheRestReaderMapsIt()
    {
        var inner = new Wire.PrefetchQuery { Using = "b", Query = new Wire.Query { Nearest = new Wire.VectorInput { Id = new Wire.PointId { Num = 3 } } } };
        var second = new Wire.PrefetchQuery { Query = new Wire.Query { Rrf = new Wire.Rrf { K = 60, Weights = { 1f, 0.5f } } }, Prefetch = { inner } };
        var first = new Wire.PrefetchQuery
        {
            Using = "dense",
            Limit = 20,
            ScoreThreshold = 0.1f,
            Params = new Wire.SearchParams { Exact = true },
            LookupFrom = new Wire.LookupLocation { CollectionName = "other" },
            Query = new Wire.Query { Nearest = new Wire.VectorInput { Dense = new Wire.DenseVector { Data = { 1f, 2f } } } },
        };
        var query = new Wire.QueryPoints { CollectionName = "c", Prefetch = { first, second }, Query = new Wire.Query { Fusion = Wire.Fusion.Dbsf }, Limit = 3 };

        var request = QueryMapping.ToEngine(query).Value!;

        Assert.Equal(new FusionQuery(FusionMethod.Dbsf), request.Query);
        var a = request.Prefetch![0];
        Assert.Equal(("dense", 20u, 0.1f, true, "other"), (a.Using, a.Limit, a.ScoreThreshold, a.Params!.Exact, a.LookupFrom!.Collection));
        var b = request.Prefetch[1];
        var rrf = Assert.IsType<FusionQuery>(b.Query);
        Assert.Equal((FusionMethod.Rrf, 60u), (rrf.Method, rrf.K));
        Assert.Equal([1f, 0.5f], rrf.Weights!);
        Assert.Equal(RequestDefaults.PrefetchLimit, b.Limit);
        Assert.Equal(("b", RequestDefaults.PrefetchLimit), (b.Prefetches[0].Using, b.Prefetches[0].Limit));

        var plain = QueryMapping.ToEngine(new Wire.QueryPoints { CollectionName = "c", Query = new Wire.Query { Rrf = new Wire.Rrf() } }).Value!;
        Assert.Equal(new FusionQuery(FusionMethod.Rrf, RequestDefaults.RrfK), plain.Query);
        Assert.Empty(plain.Prefetch!);
    }

    [Fact]
    public void ToEngine_BadTree_NamesThePath()
    {
        var zeroLimit = new Wire.QueryPoints { CollectionName = "c", Prefetch = { new Wire.PrefetchQuery { Prefetch = { new Wire.PrefetchQuery(), new Wire.PrefetchQuery { Limit = 0 } } } } };
        Assert.Equal("Validation error in body: [prefetch[0].prefetch[1].limit: value 0 invalid, must be 1 or larger]", QueryMapping.ToEngine(zeroLimit).Error.Message);

        var zeroK = new Wire.QueryPoints { CollectionName = "c", Query = new Wire.Query { Rrf = new Wire.Rrf { K = 0 } } };
        Assert.Equal("Validation error in body: [query.rrf.k: value 0 invalid, must be 1 or larger]", QueryMapping.ToEngine(zeroK).Error.Message);

        var unknown = new Wire.QueryPoints { CollectionName = "c", Query = new Wire.Query { Fusion = (Wire.Fusion)7 } };
        Assert.Equal("Wrong input: invalid fusion type value 7", QueryMapping.ToEngine(unknown).Error.Message);
    }

    [Fact]
    public void ToEngine_Recommend_MergesIdsThenVectors()
    {
        var recommend = new Wire.RecommendPoints { CollectionName = "c", Limit = 4, Using = "image", Strategy = Wire.RecommendStrategy.SumScores };
        recommend.Positive.Add(new Wire.PointId { Num = 1 });
        var legacy = new Wire.Vector();
        legacy.Data.Add([1f, 2f]);
        recommend.PositiveVectors.Add(legacy);
        recommend.Negative.Add(new Wire.PointId { Num = 2 });

        var request = QueryMapping.ToEngine(recommend).Value!;

        var mapped = Assert.IsType<RecommendQuery>(request.Query);
        Assert.Equal(RecommendStrategy.SumScores, mapped.Strategy);
        Assert.Equal(2, mapped.Positive.Count);
        Assert.IsType<PointIdInput>(mapped.Positive[0]);
        Assert.IsType<DenseVectorInput>(mapped.Positive[1]);
        Assert.Single(mapped.Negative);
        Assert.Equal("image", request.Using);
        Assert.Equal(WithPayload.None, request.WithPayload);
    }

    [Fact]
    public void ToEngine_Recommend_DocumentExample_IsADocumentInput()
    {
        // A document example once fell through to a cast to a dense vector and threw (found by the gRPC fuzzer).
        var recommend = new Wire.RecommendPoints { CollectionName = "c", Limit = 4 };
        recommend.PositiveVectors.Add(new Wire.Vector { Document = new Wire.Document { Text = "NaN", Model = "unknown" } });

        var request = QueryMapping.ToEngine(recommend).Value!;

        var mapped = Assert.IsType<RecommendQuery>(request.Query);
        var document = Assert.IsType<DocumentInput>(Assert.Single(mapped.Positive));
        Assert.Equal("unknown", document.Document.Model);
    }

    [Fact]
    public void ToWire_ScoredPoint_CarriesEverything()
    {
        var payload = new Payload { ["n"] = PayloadValue.FromInteger(1) };
        var point = new ScoredPoint(PointId.FromNum(3), 9, 0.25f, payload, new Dictionary<string, VectorData> { [""] = (float[])[1f] });

        var wire = QueryMapping.ToWire(point);

        Assert.Equal(3UL, wire.Id.Num);
        Assert.Equal(9UL, wire.Version);
        Assert.Equal(0.25f, wire.Score);
        Assert.Equal(1L, wire.Payload["n"].IntegerValue);
        Assert.Equal(new[] { 1f }, wire.Vectors.Vector.Dense.Data);
    }

    [Fact]
    public void ToWire_RecordWithoutPayloadOrVectors_LeavesThemEmpty()
    {
        var wire = QueryMapping.ToWire(new PointRecord(PointId.FromNum(1), null, null));

        Assert.Empty(wire.Payload);
        Assert.Null(wire.Vectors);
    }

    private static Wire.DenseVector Dense(params float[] values)
    {
        var dense = new Wire.DenseVector();
        dense.Data.Add(values);
        return dense;
    }
}
