using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Every request feature the server refuses, asked for over REST and over gRPC (raw messages, so nothing is filled in
/// by the client): the same status class and the same words, and nothing created or written on the way.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    private const string Turbo = "Wrong input: turbo quantization is not supported yet";
    private const string Multi = "Wrong input: Conversion between multi and regular vectors failed";
    private const string WrongSparse = "Wrong input: Conversion between sparse and regular vectors failed";
    private const string Inference = "Wrong input: InferenceService is not initialized. Please check if it was properly configured and initialized during startup.";

    [Fact]
    public async Task Refusals_SameStatusAndText()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, "/collections/gates", """{"vectors":{"size":2,"distance":"Dot"}}""");
        await Rest(HttpMethod.Put, "/collections/gates/points?wait=true", """{"points":[{"id":1,"vector":[1,0],"payload":{"n":1}},{"id":2,"vector":[0,1]}]}""");

        var cases = new (string Name, HttpMethod Method, string Path, string Body, Func<Task> Grpc, string Expected)[]
        {
            ("create with turbo quantization", HttpMethod.Put, "/collections/q1",
                """{"vectors":{"size":2,"distance":"Dot"},"quantization_config":{"turbo":{"bits":"bits2"}}}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "q1", VectorsConfig = Dense2(), QuantizationConfig = Tq() }).ResponseAsync,
                Turbo),
            ("create with vector quantization", HttpMethod.Put, "/collections/q2",
                """{"vectors":{"size":2,"distance":"Dot","quantization_config":{"turbo":{}}}}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "q2", VectorsConfig = Dense2(v => v.QuantizationConfig = new QuantizationConfig { Turboquant = new TurboQuantization() }) }).ResponseAsync,
                Turbo),
            ("update with turbo quantization", HttpMethod.Patch, "/collections/gates",
                """{"quantization_config":{"turbo":{"bits":"bits4"}}}""",
                () => grpc.Collections.UpdateAsync(new UpdateCollection { CollectionName = "gates", QuantizationConfig = new QuantizationConfigDiff { Turboquant = new TurboQuantization { Bits = TurboQuantBitSize.Bits4 } } }).ResponseAsync,
                Turbo),
            ("update with vector quantization", HttpMethod.Patch, "/collections/gates",
                """{"vectors":{"":{"quantization_config":{"turbo":{"bits":"bits1"}}}}}""",
                () => grpc.Collections.UpdateAsync(new UpdateCollection
                {
                    CollectionName = "gates",
                    VectorsConfig = new VectorsConfigDiff { Params = new VectorParamsDiff { QuantizationConfig = new QuantizationConfigDiff { Turboquant = new TurboQuantization { Bits = TurboQuantBitSize.Bits1 } } } },
                }).ResponseAsync,
                Turbo),
            ("create with turbo4 vectors", HttpMethod.Put, "/collections/q5",
                """{"vectors":{"size":2,"distance":"Dot","datatype":"turbo4"}}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "q5", VectorsConfig = Dense2(v => v.Datatype = Datatype.Turbo4) }).ResponseAsync,
                "Wrong input: vector datatype `turbo4` is not supported yet, use float32, float16 or uint8"),
            ("create with custom sharding", HttpMethod.Put, "/collections/q7",
                """{"vectors":{"size":2,"distance":"Dot"},"sharding_method":"custom"}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "q7", VectorsConfig = Dense2(), ShardingMethod = ShardingMethod.Custom }).ResponseAsync,
                "Wrong input: custom sharding is not supported yet"),
            ("upsert a sparse vector", HttpMethod.Put, "/collections/gates/points?wait=true",
                """{"points":[{"id":3,"vector":{"text":{"indices":[1],"values":[0.5]}}}]}""",
                () => Upsert(grpc, 3, new Vector { Sparse = new SparseVector { Indices = { 1 }, Values = { 0.5f } } }),
                "Wrong input: Vector is required for point 3"),
            ("upsert a multivector to a plain dense vector", HttpMethod.Put, "/collections/gates/points?wait=true",
                """{"points":[{"id":3,"vector":[[1,0],[0,1]]}]}""",
                () => grpc.Points.UpsertAsync(new UpsertPoints
                {
                    CollectionName = "gates",
                    Wait = true,
                    Points =
                    {
                        new PointStruct
                        {
                            Id = new PointId { Num = 3 },
                            Vectors = new Vectors { Vector = new Vector { MultiDense = new MultiDenseVector { Vectors = { new DenseVector { Data = { 1, 0 } }, new DenseVector { Data = { 0, 1 } } } } } },
                        },
                    },
                }).ResponseAsync,
                Multi),
            ("upsert a document for a model other than BM25", HttpMethod.Put, "/collections/gates/points?wait=true",
                """{"points":[{"id":3,"vector":{"text":{"text":"hello","model":"m"}}}]}""",
                () => Upsert(grpc, 3, new Vector { Document = new Document { Text = "hello", Model = "m" } }),
                Inference),
            TreeCase(grpc, "prefetch without a query", """{"prefetch":[{"query":[1,0]}]}""",
                new QueryPoints { Prefetch = { new PrefetchQuery { Query = Nearest(1, 0) } } },
                "Bad request: A query is needed to merge the prefetches. Can't have prefetches without defining a query."),
            TreeCase(grpc, "nested prefetch without a query", """{"prefetch":[{"prefetch":{"query":[1,0]}}],"query":{"fusion":"rrf"}}""",
                new QueryPoints { Prefetch = { new PrefetchQuery { Prefetch = { new PrefetchQuery { Query = Nearest(1, 0) } } } }, Query = new Query { Fusion = Fusion.Rrf } },
                "Bad request: A query is needed to merge the prefetches. Can't have prefetches without defining a query."),
            TreeCase(grpc, "fusion without prefetch", """{"query":{"fusion":"dbsf"}}""",
                new QueryPoints { Query = new Query { Fusion = Fusion.Dbsf } },
                "Wrong input: Validation failed: cannot apply Fusion without prefetches"),
            TreeCase(grpc, "fusion with using", """{"prefetch":[{"query":[1,0]}],"query":{"fusion":"rrf"},"using":"x"}""",
                new QueryPoints { Prefetch = { new PrefetchQuery { Query = Nearest(1, 0) } }, Query = new Query { Fusion = Fusion.Rrf }, Using = "x" },
                "Bad request: Fusion queries cannot be combined with the 'using' field."),
            TreeCase(grpc, "rrf weights not one per branch", """{"prefetch":[{"query":[1,0]}],"query":{"rrf":{"weights":[1,2]}}}""",
                new QueryPoints { Prefetch = { new PrefetchQuery { Query = Nearest(1, 0) } }, Query = new Query { Rrf = new Rrf { Weights = { 1, 2 } } } },
                "Wrong input: Validation failed: Number of weights in RRF should match number of pre-fetches: got 2, expected 1"),
            TreeCase(grpc, "score threshold on a branch without a query", """{"prefetch":[{"score_threshold":0.5}],"query":{"fusion":"rrf"}}""",
                new QueryPoints { Prefetch = { new PrefetchQuery { ScoreThreshold = 0.5f } }, Query = new Query { Fusion = Fusion.Rrf } },
                "Bad request: A query is needed to use the score_threshold. Can't have score_threshold without defining a query."),
            TreeCase(grpc, "branch limits past the bound", """{"prefetch":[{"query":[1,0],"limit":600000},{"query":[0,1],"limit":400001}],"query":{"fusion":"rrf"}}""",
                new QueryPoints { Prefetch = { new PrefetchQuery { Query = Nearest(1, 0), Limit = 600000 }, new PrefetchQuery { Query = Nearest(0, 1), Limit = 400001 } }, Query = new Query { Fusion = Fusion.Rrf } },
                "Wrong input: prefetch[1].limit: the prefetch limits add up to 1000001, more than 1000000"),
            TreeCase(grpc, "branches nested too deep", "{\"prefetch\":" + RestChain(65) + ",\"query\":{\"fusion\":\"rrf\"}}",
                new QueryPoints { Prefetch = { GrpcChain(65) }, Query = new Query { Fusion = Fusion.Rrf } },
                "Wrong input: Validation failed: prefetches depth 65 exceeds max depth 64 at " + string.Join('.', Enumerable.Repeat("prefetch[0]", 65))),
            ("query ordered by a field without a range index", HttpMethod.Post, "/collections/gates/points/query",
                """{"query":{"order_by":"n"}}""",
                () => Query(grpc, new Query { OrderBy = new OrderBy { Key = "n" } }),
                "Wrong input: No range index for `order_by` key: `n`. Please create one to use `order_by`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions"),
            ("formula without prefetch", HttpMethod.Post, "/collections/gates/points/query",
                """{"query":{"formula":{"sum":["$score",1]}}}""",
                () => Query(grpc, new Query { Formula = new Formula { Expression = new Expression { Constant = 1 } } }),
                "Wrong input: Validation failed: cannot apply Formula without prefetches"),
            TreeCase(grpc, "formula with a bad decay midpoint", """{"prefetch":{"query":[1,0]},"query":{"formula":{"exp_decay":{"x":"$score","midpoint":1.5}}}}""",
                new QueryPoints { Prefetch = { new PrefetchQuery { Query = Nearest(1, 0) } }, Query = new Query { Formula = new Formula { Expression = new Expression { ExpDecay = new DecayParamsExpression { X = new Expression { Variable = "$score" }, Midpoint = 1.5f } } } } },
                "Wrong input: Validation failed: Decay midpoint should be in the range (0.0, 1.0), got 1.5."),
            ("query by a sparse vector", HttpMethod.Post, "/collections/gates/points/query",
                """{"query":{"indices":[1],"values":[0.5]}}""",
                () => Query(grpc, new Query { Nearest = new VectorInput { Sparse = new SparseVector { Indices = { 1 }, Values = { 0.5f } } } }),
                WrongSparse),
            ("query by a document for a model other than BM25", HttpMethod.Post, "/collections/gates/points/query",
                """{"query":{"text":"hello","model":"m"}}""",
                () => Query(grpc, new Query { Nearest = new VectorInput { Document = new Document { Text = "hello", Model = "m" } } }),
                Inference),
            ("recommend without positives", HttpMethod.Post, "/collections/gates/points/query",
                """{"query":{"recommend":{"negative":[1]}}}""",
                () => Query(grpc, new Query { Recommend = new RecommendInput { Negative = { new VectorInput { Id = 1 } } } }),
                "Wrong input: At least one positive vector ID required"),
            ("scroll ordered by a field without a range index", HttpMethod.Post, "/collections/gates/points/scroll",
                """{"order_by":"n"}""",
                () => grpc.Points.ScrollAsync(new ScrollPoints { CollectionName = "gates", OrderBy = new OrderBy { Key = "n" } }).ResponseAsync,
                "Wrong input: No range index for `order_by` key: `n`. Please create one to use `order_by`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions"),
            ("keyword index kept cold", HttpMethod.Put, "/collections/gates/index?wait=true",
                """{"field_name":"n","field_schema":{"type":"keyword","memory":"cold"}}""",
                () => grpc.Points.CreateFieldIndexAsync(new CreateFieldIndexCollection
                {
                    CollectionName = "gates",
                    FieldName = "n",
                    FieldIndexParams = new PayloadIndexParams { KeywordIndexParams = new KeywordIndexParams { Memory = Memory.Cold } },
                    Wait = true,
                }).ResponseAsync,
                "Wrong input: payload indexes outside RAM (`on_disk: true`, `memory: cold` or `cached`) are not supported yet"),
            ("payload index without a type", HttpMethod.Put, "/collections/gates/index?wait=true",
                """{"field_name":"n"}""",
                () => grpc.Points.CreateFieldIndexAsync(new CreateFieldIndexCollection { CollectionName = "gates", FieldName = "n", Wait = true }).ResponseAsync,
                "Wrong input: Can't auto-detect field type, please specify `field_schema` in the request"),
        };

        foreach (var (name, method, path, body, call, expected) in cases)
        {
            var rest = await RestError(method, path, body);
            var refused = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal((name, 400, expected), (name, rest.Status, rest.Message));
            Assert.Equal((name, StatusCode.InvalidArgument, expected), (name, refused.StatusCode, refused.Status.Detail));
        }

        // A slice index past its total reads, then fails validation: 422 over REST (as the reference's own test expects),
        // INVALID_ARGUMENT over gRPC.
        const string sliceBody = """{"filter":{"must":[{"slice":{"index":2,"total":2}}]}}""";
        var sliceRest = await RestError(HttpMethod.Post, "/collections/gates/points/count", sliceBody);
        Assert.Equal((422, "Validation error in JSON body: [filter.must[0].slice: Slice index must be less than the total number of slices]"), sliceRest);
        var sliceGrpc = await Assert.ThrowsAsync<RpcException>(() => grpc.Points.CountAsync(new CountPoints { CollectionName = "gates", Filter = new Filter { Must = { new Condition { Slice = new SliceCondition { Index = 2, Total = 2 } } } } }).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "Slice index must be less than the total number of slices"), (sliceGrpc.StatusCode, sliceGrpc.Status.Detail));

        // Refused means not applied: no collection was created, the one there kept its config, points and payloads.
        var collections = await Rest(HttpMethod.Get, "/collections", null);
        Assert.Equal(["gates"], collections.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var config = await Rest(HttpMethod.Get, "/collections/gates", null);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, config.GetProperty("config").GetProperty("quantization_config").ValueKind);
        Assert.Empty(config.GetProperty("payload_schema").EnumerateObject());
        var points = await Rest(HttpMethod.Post, "/collections/gates/points", """{"ids":[1,2,3]}""");
        Assert.Equal("""[{"id":1,"payload":{"n":1}},{"id":2,"payload":{}}]""", points.GetRawText());
    }

    /// <summary>
    /// A value out of bounds: the same problem on both, in each wire's own envelope (REST 422 "Validation error in JSON
    /// body", gRPC INVALID_ARGUMENT "Validation error in body", as the reference words them) and at each wire's path.
    /// </summary>
    [Fact]
    public async Task ValidationErrors_SameProblem()
    {
        using var grpc = new QdrantGrpcClient("127.0.0.1", Server.GrpcPort, null!);
        await Rest(HttpMethod.Put, "/collections/bounds", """{"vectors":{"size":2,"distance":"Dot"}}""");

        var cases = new (string RestPath, string RestBody, Func<Task> Grpc, string RestField, string GrpcField, string Problem)[]
        {
            ("/collections/bounds/points/query", """{"query":[1,0],"limit":0}""",
                () => grpc.Points.QueryAsync(new QueryPoints { CollectionName = "bounds", Query = Nearest(1, 0), Limit = 0 }).ResponseAsync,
                "limit", "limit", "value 0 invalid, must be 1 or larger"),
            ("/collections/bounds/points/query", """{"prefetch":[{"query":[1,0]},{"query":[0,1],"limit":0}],"query":{"fusion":"rrf"}}""",
                () => grpc.Points.QueryAsync(new QueryPoints { CollectionName = "bounds", Prefetch = { new PrefetchQuery { Query = Nearest(1, 0) }, new PrefetchQuery { Query = Nearest(0, 1), Limit = 0 } }, Query = new Query { Fusion = Fusion.Rrf } }).ResponseAsync,
                "prefetch[1].limit", "prefetch[1].limit", "value 0 invalid, must be 1 or larger"),
            ("/collections/bounds/points/query", """{"prefetch":{"query":[1,0]},"query":{"rrf":{"k":0}}}""",
                () => grpc.Points.QueryAsync(new QueryPoints { CollectionName = "bounds", Prefetch = { new PrefetchQuery { Query = Nearest(1, 0) } }, Query = new Query { Rrf = new Rrf { K = 0 } } }).ResponseAsync,
                "query.rrf.k", "query.rrf.k", "value 0 invalid, must be 1 or larger"),
            ("/collections/bounds/points/scroll", """{"limit":0}""",
                () => grpc.Points.ScrollAsync(new ScrollPoints { CollectionName = "bounds", Limit = 0 }).ResponseAsync,
                "limit", "limit", "value 0 invalid, must be 1 or larger"),
            ("/collections/big", """{"vectors":{"size":65537,"distance":"Dot"}}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "big", VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 65537, Distance = Distance.Dot } } }).ResponseAsync,
                "vectors.size", "vectors_config.params.size", "value 65537 invalid, must be from 1 to 65536"),
            ("/collections/ef", """{"vectors":{"size":2,"distance":"Dot"},"hnsw_config":{"ef_construct":2}}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "ef", VectorsConfig = Dense2(), HnswConfig = new HnswConfigDiff { EfConstruct = 2 } }).ResponseAsync,
                "hnsw_config.ef_construct", "hnsw_config.ef_construct", "value 2 invalid, must be from 4 to 1000000"),
            ("/collections/vacuum", """{"vectors":{"size":2,"distance":"Dot"},"optimizers_config":{"vacuum_min_vector_number":50}}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "vacuum", VectorsConfig = Dense2(), OptimizersConfig = new OptimizersConfigDiff { VacuumMinVectorNumber = 50 } }).ResponseAsync,
                "optimizers_config.vacuum_min_vector_number", "optimizers_config.vacuum_min_vector_number", "value 50 invalid, must be 100 or larger"),
            ("/collections/wal", """{"vectors":{"size":2,"distance":"Dot"},"wal_config":{"wal_capacity_mb":0}}""",
                () => grpc.Collections.CreateAsync(new CreateCollection { CollectionName = "wal", VectorsConfig = Dense2(), WalConfig = new WalConfigDiff { WalCapacityMb = 0 } }).ResponseAsync,
                "wal_config.wal_capacity_mb", "wal_config.wal_capacity_mb", "value 0 invalid, must be 1 or larger"),
        };

        foreach (var (restPath, restBody, call, restField, grpcField, problem) in cases)
        {
            var method = restPath.StartsWith("/collections/bounds/", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Put;
            var rest = await RestError(method, restPath, restBody);
            var refused = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal((422, $"Validation error in JSON body: [{restField}: {problem}]"), rest);
            Assert.Equal((StatusCode.InvalidArgument, $"Validation error in body: [{grpcField}: {problem}]"), (refused.StatusCode, refused.Status.Detail));
        }
    }

    private static VectorsConfig Dense2(Action<VectorParams>? change = null)
    {
        var p = new VectorParams { Size = 2, Distance = Distance.Dot };
        change?.Invoke(p);
        return new VectorsConfig { Params = p };
    }

    private static QuantizationConfig Tq() => new() { Turboquant = new TurboQuantization { Bits = TurboQuantBitSize.Bits2 } };

    private static Query Nearest(float x, float y) => new() { Nearest = new VectorInput { Dense = new DenseVector { Data = { x, y } } } };

    private static Task Upsert(QdrantGrpcClient grpc, ulong id, Vector vector)
    {
        var named = new NamedVectors();
        named.Vectors["text"] = vector;
        var request = new UpsertPoints { CollectionName = "gates", Wait = true, Points = { new PointStruct { Id = new PointId { Num = id }, Vectors = new Vectors { Vectors_ = named } } } };
        return grpc.Points.UpsertAsync(request).ResponseAsync;
    }

    private static Task Query(QdrantGrpcClient grpc, Query query) =>
        grpc.Points.QueryAsync(new QueryPoints { CollectionName = "gates", Query = query }).ResponseAsync;

    private static (string, HttpMethod, string, string, Func<Task>, string) TreeCase(QdrantGrpcClient grpc, string name, string restBody, QueryPoints wire, string expected)
    {
        wire.CollectionName = "gates";
        return ($"query tree: {name}", HttpMethod.Post, "/collections/gates/points/query", restBody, () => grpc.Points.QueryAsync(wire).ResponseAsync, expected);
    }

    // `levels` branches, each the only branch of the one above; the innermost searches.
    private static string RestChain(int levels) =>
        levels == 1 ? """{"query":[1,0]}""" : "{\"prefetch\":" + RestChain(levels - 1) + ",\"query\":{\"fusion\":\"rrf\"}}";

    private static PrefetchQuery GrpcChain(int levels) =>
        levels == 1 ? new PrefetchQuery { Query = Nearest(1, 0) } : new PrefetchQuery { Prefetch = { GrpcChain(levels - 1) }, Query = new Query { Fusion = Fusion.Rrf } };
}
