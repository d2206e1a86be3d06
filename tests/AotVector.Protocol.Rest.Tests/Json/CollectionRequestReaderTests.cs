using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class CollectionRequestReaderTests
{
    private static CreateCollectionRequest Create(string json) => Body.Ok(json, e => CollectionRequestReader.ReadCreate(e, "c"));

    private static AvError CreateFails(string json) => Body.Fail(json, e => CollectionRequestReader.ReadCreate(e, "c"));

    [Fact]
    public void ReadCreate_SingleVector()
    {
        var request = Create("""{"vectors":{"size":4,"distance":"Cosine","on_disk":true}}""");
        Assert.Equal("c", request.Name);
        Assert.Equal(new VectorParams(4, Distance.Cosine, null, true), request.Vectors.Single);
        Assert.Null(request.Vectors.Named);
    }

    [Fact]
    public void ReadCreate_NamedVectorsAndConfigs()
    {
        var request = Create("""
            {"vectors":{"img":{"size":3,"distance":"Dot","hnsw_config":{"m":32}},"txt":{"size":2,"distance":"Manhattan"}},
             "hnsw_config":{"m":8,"ef_construct":64,"full_scan_threshold":20000,"on_disk":true},
             "optimizers_config":{"deleted_threshold":0.5,"indexing_threshold":0,"max_optimization_threads":"auto"},
             "wal_config":{"wal_capacity_mb":64},"on_disk_payload":false,"shard_number":2,"replication_factor":1,
             "quantization_config":null,"strict_mode_config":{"enabled":false}}
            """);
        Assert.Equal(Distance.Dot, request.Vectors.Named!["img"].Distance);
        Assert.Equal(32UL, request.Vectors.Named["img"].HnswConfig!.M);
        Assert.Equal(Distance.Manhattan, request.Vectors.Named["txt"].Distance);
        Assert.Equal(new HnswConfigDiff(8, 64, 20000, null, true, null), request.HnswConfig);
        Assert.Equal(0.5, request.OptimizersConfig!.DeletedThreshold);
        Assert.Equal(0UL, request.OptimizersConfig.IndexingThreshold);
        Assert.Null(request.OptimizersConfig.MaxOptimizationThreads);
        Assert.Equal(64UL, request.WalConfig!.WalCapacityMb);
        Assert.False(request.OnDiskPayload);
        Assert.Equal(2u, request.ShardNumber);
    }

    [Fact]
    public void ReadCreate_MultivectorConfig()
    {
        var request = Create("""{"vectors":{"colbert":{"size":4,"distance":"Cosine","multivector_config":{"comparator":"max_sim"},"hnsw_config":{"m":0}}}}""");
        var colbert = request.Vectors.Named!["colbert"];
        Assert.Equal(new MultiVectorConfig(MultiVectorComparator.MaxSim), colbert.MultivectorConfig);
        Assert.Null(Create("""{"vectors":{"size":4,"distance":"Cosine","multivector_config":null}}""").Vectors.Single!.MultivectorConfig);
        Assert.Contains("comparator", CreateFails("""{"vectors":{"size":4,"distance":"Cosine","multivector_config":{}}}""").Message);
    }

    [Fact]
    public void ReadCreate_EmptyBody_NoVectors() => Assert.Empty(Create("{}").Vectors.Named!);

    [Fact]
    public void ReadCreate_SizeErrors()
    {
        var zero = CreateFails("""{"vectors":{"size":0,"distance":"Cosine"}}""");
        Assert.Equal(ErrorKind.BadRequest, zero.Kind);
        Assert.Contains("expected a nonzero integer at vectors.size", zero.Message);

        var big = CreateFails("""{"vectors":{"size":65537,"distance":"Cosine"}}""");
        Assert.Equal(ErrorKind.Validation, big.Kind);
        Assert.Equal("Validation error in JSON body: [vectors.size: value 65537 invalid, must be from 1 to 65536]", big.Message);

        Assert.Contains("invalid type: string \"4\", expected u64 at vectors.size", CreateFails("""{"vectors":{"size":"4","distance":"Cosine"}}""").Message);
        Assert.Contains("missing field `distance` at vectors", CreateFails("""{"vectors":{"size":4}}""").Message);
    }

    [Fact]
    public void ReadCreate_SparseVectors()
    {
        var request = Create("""{"vectors":{},"sparse_vectors":{"text":{"index":{"full_scan_threshold":100,"on_disk":true},"modifier":"idf"},"plain":{}}}""");

        Assert.Equal(new SparseVectorParams(new SparseIndexParams(100, true, null), SparseModifier.Idf), request.SparseVectors!["text"]);
        Assert.Equal(new SparseVectorParams(), request.SparseVectors["plain"]);
    }

    [Fact]
    public void ReadCreate_DistanceIsCaseSensitive() =>
        Assert.Equal("Format error in JSON body: unknown variant `cosine`, expected one of `Cosine`, `Euclid`, `Dot`, `Manhattan` at vectors.distance",
            CreateFails("""{"vectors":{"size":4,"distance":"cosine"}}""").Message);

    [Fact]
    public void ReadCreate_Unsupported()
    {
        Assert.Contains("unknown variant `min_sim`, expected `max_sim`", CreateFails("""{"vectors":{"size":4,"distance":"Cosine","multivector_config":{"comparator":"min_sim"}}}""").Message);
        var sparse = Body.Ok("""{"sparse_vectors":{"text":{"index":{"datatype":"uint8","memory":"cold"}}}}""", e => CollectionRequestReader.ReadCreate(e, "c")).SparseVectors!["text"].Index!;
        Assert.Equal(("uint8", "cold"), (sparse.Datatype, sparse.Memory));
        Assert.Equal("pinned", Body.Ok("""{"vectors":{"size":4,"distance":"Cosine"},"hnsw_config":{"memory":"pinned"}}""", e => CollectionRequestReader.ReadCreate(e, "c")).HnswConfig!.Memory);
        Assert.Equal("Format error in JSON body: unknown variant `bm25`, expected `none` or `idf` at sparse_vectors.text.modifier", CreateFails("""{"sparse_vectors":{"text":{"modifier":"bm25"}}}""").Message);
        Assert.Contains("datatype `turbo4`", CreateFails("""{"vectors":{"size":4,"distance":"Cosine","datatype":"turbo4"}}""").Message);
        Assert.Equal(ErrorKind.Validation, CreateFails("""{"vectors":{"size":4,"distance":"Cosine"},"hnsw_config":{"ef_construct":1}}""").Kind);
    }

    [Fact]
    public void ReadCreate_Quantization_EveryKindIsRead()
    {
        var scalar = Body.Ok("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"scalar":{"type":"int8","quantile":0.99,"always_ram":true,"memory":"pinned"}}}""", e => CollectionRequestReader.ReadCreate(e, "c"));
        Assert.Equal(QuantizationConfig.Int8(0.99f, true, "pinned"), scalar.QuantizationConfig);
        var binary = Body.Ok("""{"vectors":{"size":4,"distance":"Cosine","quantization_config":{"binary":{"encoding":"one_and_half_bits","query_encoding":"scalar4bits"}}}}""", e => CollectionRequestReader.ReadCreate(e, "c"));
        Assert.Equal(QuantizationConfig.Binary(BinaryEncoding.OneAndHalfBits, BinaryQueryEncoding.Scalar4Bits), binary.Vectors.Single!.QuantizationConfig);
        var bare = Body.Ok("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"binary":{"always_ram":false,"memory":"cold","query_encoding":"binary"}}}""", e => CollectionRequestReader.ReadCreate(e, "c"));
        Assert.Equal(QuantizationConfig.Binary(null, BinaryQueryEncoding.Binary, false, "cold"), bare.QuantizationConfig);
        var product = Body.Ok("""{"vectors":{"img":{"size":4,"distance":"Cosine","quantization_config":{"product":{"compression":"x16"}}}}}""", e => CollectionRequestReader.ReadCreate(e, "c"));
        Assert.Equal(QuantizationConfig.Product(ProductCompression.X16), product.Vectors.Named!["img"].QuantizationConfig);
        var placed = Body.Ok("""{"vectors":{"size":4,"distance":"Dot"},"quantization_config":{"product":{"compression":"x64","always_ram":true,"memory":"pinned"}}}""", e => CollectionRequestReader.ReadCreate(e, "c"));
        Assert.Equal(QuantizationConfig.Product(ProductCompression.X64, true, "pinned"), placed.QuantizationConfig);
        var turbo = Body.Ok("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"turbo":{"bits":"bits2"}}}""", e => CollectionRequestReader.ReadCreate(e, "c"));
        Assert.Equal(QuantizationKind.Turbo, turbo.QuantizationConfig!.Kind);
    }

    [Theory]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"scalar":{}}}""", "missing field `type`")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"scalar":{"type":"int4"}}}""", "expected `int8`")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"product":{}}}""", "missing field `compression`")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"binary":{"encoding":"three_bits"}}}""", "unknown variant `three_bits`")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"binary":{"query_encoding":"scalar2bits"}}}""", "unknown variant `scalar2bits`")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"binary":{"bits":1}}}""", "bits")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"scalar":{"type":"int8","memory":"warm"}}}""", "unknown variant `warm`")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"pq":{}}}""", "unknown variant `pq`")]
    [InlineData("""{"vectors":{"size":4,"distance":"Cosine"},"quantization_config":{"scalar":{"type":"int8","quantile":0.3}}}""", "quantization_config.scalar.quantile")]
    public void ReadCreate_Quantization_Malformed_NamesTheField(string json, string expected) =>
        Assert.Contains(expected, CreateFails(json).Message);

    [Fact]
    public void ReadUpdate_Quantization_ConfigOrDisabled()
    {
        var set = Body.Ok("""{"quantization_config":{"scalar":{"type":"int8"}}}""", e => CollectionRequestReader.ReadUpdate(e, "c"));
        Assert.Equal(QuantizationConfig.Int8(), set.QuantizationConfig!.Config);
        var disabled = Body.Ok("""{"quantization_config":"disabled","vectors":{"":{"quantization_config":"disabled"}}}""", e => CollectionRequestReader.ReadUpdate(e, "c"));
        Assert.Same(QuantizationConfigDiff.Disabled, disabled.QuantizationConfig);
        Assert.Same(QuantizationConfigDiff.Disabled, disabled.Vectors![""].QuantizationConfig);
        Assert.Contains("expected `disabled`", Body.Fail("""{"quantization_config":"Disabled"}""", e => CollectionRequestReader.ReadUpdate(e, "c")).Message);
    }

    [Fact]
    public void ReadCreate_Datatypes_AreReadAsGiven_Turbo4Refused_UnknownAFormatError()
    {
        Assert.Equal(VectorDatatype.Float16, Create("""{"vectors":{"size":4,"distance":"Cosine","datatype":"float16"}}""").Vectors.Single!.Datatype);
        Assert.Equal(VectorDatatype.Uint8, Create("""{"vectors":{"a":{"size":4,"distance":"Dot","datatype":"uint8"}}}""").Vectors.Named!["a"].Datatype);
        Assert.Equal(VectorDatatype.Float32, Create("""{"vectors":{"size":4,"distance":"Dot","datatype":"float32"}}""").Vectors.Single!.Datatype);
        Assert.Null(Create("""{"vectors":{"size":4,"distance":"Dot"}}""").Vectors.Single!.Datatype);
        Assert.Equal("Wrong input: vector datatype `turbo4` is not supported yet, use float32, float16 or uint8",
            CreateFails("""{"vectors":{"size":4,"distance":"Cosine","datatype":"turbo4"}}""").Message);
        Assert.Equal("Format error in JSON body: unknown variant `int8`, expected one of `float32`, `uint8`, `float16`, `turbo4` at vectors.datatype",
            CreateFails("""{"vectors":{"size":4,"distance":"Cosine","datatype":"int8"}}""").Message);
    }

    [Fact]
    public void ReadCreate_SettingsOutOfBounds_AreValidationErrorsAtTheirPath()
    {
        Assert.Equal("Validation error in JSON body: [vectors.img.hnsw_config.ef_construct: value 2 invalid, must be from 4 to 1000000]",
            CreateFails("""{"vectors":{"img":{"size":4,"distance":"Cosine","hnsw_config":{"ef_construct":2}}}}""").Message);
        Assert.Equal("Validation error in JSON body: [optimizers_config.vacuum_min_vector_number: value 50 invalid, must be 100 or larger]",
            CreateFails("""{"optimizers_config":{"vacuum_min_vector_number":50}}""").Message);
        Assert.Equal("Validation error in JSON body: [wal_config.wal_capacity_mb: value 0 invalid, must be 1 or larger]",
            CreateFails("""{"wal_config":{"wal_capacity_mb":0}}""").Message);
    }

    [Fact]
    public void ReadUpdate_PartsAreOptional()
    {
        var request = Body.Ok("""{"vectors":{"":{"on_disk":true}},"params":{"replication_factor":2,"on_disk_payload":true},"optimizers_config":{"indexing_threshold":100}}""",
            e => CollectionRequestReader.ReadUpdate(e, "c"));
        Assert.True(request.Vectors![""].OnDisk);
        Assert.Equal(2u, request.ReplicationFactor);
        Assert.True(request.OnDiskPayload);
        Assert.Equal(100UL, request.OptimizersConfig!.IndexingThreshold);
        Assert.Null(request.HnswConfig);
    }

    [Fact]
    public void ReadAliasActions_AllThreeKinds()
    {
        var actions = Body.Ok("""
            {"actions":[{"create_alias":{"collection_name":"c","alias_name":"a"}},{"delete_alias":{"alias_name":"a"}},
                        {"rename_alias":{"old_alias_name":"a","new_alias_name":"b"}}]}
            """, CollectionRequestReader.ReadAliasActions);
        Assert.Equal([new CreateAlias("c", "a"), new DeleteAlias("a"), new RenameAlias("a", "b")], actions);
        Assert.Contains("missing field `alias_name`", Body.Fail("""{"actions":[{"create_alias":{"collection_name":"c"}}]}""", CollectionRequestReader.ReadAliasActions).Message);
        Assert.Contains("unknown variant `drop_alias`", Body.Fail("""{"actions":[{"drop_alias":{}}]}""", CollectionRequestReader.ReadAliasActions).Message);
    }

    [Theory]
    [InlineData("\"keyword\"", PayloadSchemaType.Keyword)]
    [InlineData("\"integer\"", PayloadSchemaType.Integer)]
    [InlineData("\"float\"", PayloadSchemaType.Float)]
    [InlineData("\"geo\"", PayloadSchemaType.Geo)]
    [InlineData("\"text\"", PayloadSchemaType.Text)]
    [InlineData("\"bool\"", PayloadSchemaType.Bool)]
    [InlineData("\"datetime\"", PayloadSchemaType.Datetime)]
    [InlineData("\"uuid\"", PayloadSchemaType.Uuid)]
    [InlineData("{\"type\":\"text\",\"tokenizer\":\"word\"}", PayloadSchemaType.Text)]
    public void ReadCreateIndex_Schemas(string schema, PayloadSchemaType expected)
    {
        var op = Body.Ok("{\"field_name\":\"city\",\"field_schema\":" + schema + "}", CollectionRequestReader.ReadCreateIndex);
        Assert.Equal("city", op.FieldName);
        Assert.Equal(expected, op.Schema);
    }

    [Fact]
    public void ReadCreateIndex_IndexParameters_OnlyThoseOfTheType()
    {
        Engine.Operations.CreateFieldIndex Read(string schema) => Body.Ok("{\"field_name\":\"f\",\"field_schema\":" + schema + "}", CollectionRequestReader.ReadCreateIndex);

        // A params object giving nothing is still kept (the schema shows it back as params); a bare type has none.
        Assert.Equal(new FieldIndexOptions(), Read("{\"type\":\"keyword\"}").Options);
        Assert.Null(Read("\"keyword\"").Options);
        Assert.Equal(new FieldIndexOptions(IsTenant: true, OnDisk: false, Memory: IndexMemory.Cached), Read("{\"type\":\"keyword\",\"is_tenant\":true,\"on_disk\":false,\"memory\":\"cached\"}").Options);
        Assert.Equal(new FieldIndexOptions(IsPrincipal: true, Lookup: false, Range: true, EnableHnsw: false), Read("{\"type\":\"integer\",\"is_principal\":true,\"lookup\":false,\"range\":true,\"enable_hnsw\":false}").Options);

        // The reference's params of a type have no other fields: `is_tenant` on a geo index and `lookup` on a keyword one are ignored.
        Assert.Equal(new FieldIndexOptions(OnDisk: true), Read("{\"type\":\"geo\",\"is_tenant\":true,\"on_disk\":true}").Options);
        Assert.Equal(new FieldIndexOptions(), Read("{\"type\":\"keyword\",\"lookup\":false}").Options);
        Assert.Contains("unknown variant `hot`", Body.Fail("{\"field_name\":\"f\",\"field_schema\":{\"type\":\"bool\",\"memory\":\"hot\"}}", CollectionRequestReader.ReadCreateIndex).Message);
    }

    [Fact]
    public void ReadCreateIndex_TextParams()
    {
        var op = Body.Ok("""
            {"field_name":"body","field_schema":{"type":"text","tokenizer":"prefix","min_token_len":2,"max_token_len":10,"lowercase":false,
             "ascii_folding":true,"phrase_matching":true,"stopwords":{"languages":["english"],"custom":["qdrant"]},
             "stemmer":{"type":"snowball","language":"english"}}}
            """, CollectionRequestReader.ReadCreateIndex);
        var text = op.Text!;
        Assert.Equal(Common.FullText.TokenizerKind.Prefix, text.Tokenizer);
        Assert.Equal(2ul, text.MinTokenLen);
        Assert.Equal(10ul, text.MaxTokenLen);
        Assert.False(text.Lowercase);
        Assert.True(text.AsciiFolding);
        Assert.True(text.PhraseMatching);
        Assert.Equal(["english"], text.Stopwords!.Languages);
        Assert.Equal(["qdrant"], text.Stopwords.Custom);
        Assert.Equal("english", text.Stemmer!.Language);

        var plain = Body.Ok("""{"field_name":"body","field_schema":{"type":"text","stopwords":"english","stemmer":{"type":"none"}}}""", CollectionRequestReader.ReadCreateIndex).Text!;
        Assert.Equal(["english"], plain.Stopwords!.Languages);
        Assert.Null(plain.Stemmer!.Language);
        Assert.Contains("unknown variant `letters`", Body.Fail("""{"field_name":"a","field_schema":{"type":"text","tokenizer":"letters"}}""", CollectionRequestReader.ReadCreateIndex).Message);
    }

    [Fact]
    public void ReadCreateIndex_Errors()
    {
        Assert.Contains("unknown variant `string`", Body.Fail("""{"field_name":"a","field_schema":"string"}""", CollectionRequestReader.ReadCreateIndex).Message);
        Assert.Equal("Wrong input: Can't auto-detect field type, please specify `field_schema` in the request",
            Body.Fail("""{"field_name":"a"}""", CollectionRequestReader.ReadCreateIndex).Message);
    }
}
