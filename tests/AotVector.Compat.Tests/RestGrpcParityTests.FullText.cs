using System.Text.Json;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Text indexes and BM25 documents on both wires: an index made over REST and one made with the official .NET client
/// filter alike, a document written over either wire is stored as the same sparse vector, and a document query ranks
/// alike; the index parameters come back in the collection info of both.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    private static readonly string[] s_fullTexts =
    [
        "The quick brown fox jumps over the lazy dog",
        "Foxes are running in the forest",
        "A lazy afternoon with a good book",
        "dogma and doctrine",
    ];

    private const string TextParamsJson =
        """{"type":"text","tokenizer":"word","phrase_matching":true,"stopwords":"english","stemmer":{"type":"snowball","language":"english"}}""";

    [Fact]
    public async Task FullText_IndexFiltersAndBm25Documents_SameOnBothWires()
    {
        const string name = "fulltext";
        await Rest(HttpMethod.Put, $"/collections/{name}", """{"vectors":{"dense":{"size":2,"distance":"Dot"}},"sparse_vectors":{"bm25":{"modifier":"idf"}}}""");
        await Rest(HttpMethod.Put, $"/collections/{name}/index?wait=true", """{"field_name":"body","field_schema":""" + TextParamsJson + "}");
        await Client.CreatePayloadIndexAsync(name, "title", PayloadSchemaType.Text, indexParams: new PayloadIndexParams
        {
            TextIndexParams = new TextIndexParams
            {
                Tokenizer = TokenizerType.Word,
                PhraseMatching = true,
                Stopwords = new StopwordsSet { Languages = { "english" } },
                Stemmer = new StemmingAlgorithm { Snowball = new SnowballParams { Language = "english" } },
            },
        });

        // Points 1-4 over REST, 5-8 (the same texts) over gRPC.
        var restPoints = string.Join(",", s_fullTexts.Select((t, i) =>
            $$$"""{"id":{{{i + 1}}},"vector":{"dense":[1,0],"bm25":{"text":{{{JsonSerializer.Serialize(t)}}},"model":"qdrant/bm25"}},"payload":{"body":{{{JsonSerializer.Serialize(t)}}},"title":{{{JsonSerializer.Serialize(t)}}}}}"""));
        await Rest(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[" + restPoints + "]}");
        await Client.UpsertAsync(name, [.. s_fullTexts.Select((t, i) => new PointStruct
        {
            Id = (ulong)(i + 5),
            Vectors = new Dictionary<string, Vector>
            {
                ["dense"] = new[] { 1f, 0f },
                ["bm25"] = new Vector { Document = new Document { Text = t, Model = "qdrant/bm25" } },
            },
            Payload = { ["body"] = t, ["title"] = t },
        })]);

        // The same text is the same sparse vector, whichever wire wrote it.
        var restStored = await Rest(HttpMethod.Get, $"/collections/{name}/points/2", null);
        var grpcStored = (await Client.RetrieveAsync(name, 6, withVectors: true))[0].Vectors.Vectors.Vectors["bm25"];
        var restSparse = restStored.GetProperty("vector").GetProperty("bm25");
        Assert.Equal(restSparse.GetProperty("indices").EnumerateArray().Select(x => x.GetUInt32()), grpcStored.Sparse.Indices);
        Assert.Equal(restSparse.GetProperty("values").EnumerateArray().Select(x => x.GetSingle()), grpcStored.Sparse.Values);
        Assert.Equal(3, grpcStored.Sparse.Indices.Count); // fox, run, forest: "are", "in", "the" are stop words

        var cases = new (string Json, Match Match, ulong[] Expected)[]
        {
            ("""{"text":"FOX"}""", new Match { Text = "FOX" }, [1, 2]),
            ("""{"text":"dog"}""", new Match { Text = "dog" }, [1]),
            ("""{"text_any":"run lazy"}""", new Match { TextAny = "run lazy" }, [1, 2, 3]),
            ("""{"phrase":"lazy dog"}""", new Match { Phrase = "lazy dog" }, [1]),
            ("""{"phrase":"dog lazy"}""", new Match { Phrase = "dog lazy" }, []),
        };
        foreach (var field in (string[])["body", "title"])
        {
            foreach (var (json, match, expected) in cases)
            {
                var both = expected.Concat(expected.Select(id => id + 4)).Order().ToArray();
                var rest = await Rest(HttpMethod.Post, $"/collections/{name}/points/scroll",
                    $$"""{"filter":{"must":[{"key":"{{field}}","match":{{json}}}]},"limit":100}""");
                Assert.Equal(both, rest.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()).Order());
                var grpc = await Client.ScrollAsync(name, new Filter { Must = { new Condition { Field = new FieldCondition { Key = field, Match = match } } } }, limit: 100);
                Assert.Equal(both, grpc.Result.Select(p => p.Id.Num).Order());
            }
        }

        // A document query: unit weights per term, ranked by the stored BM25 weights and idf, alike on both wires.
        var restHits = await Rest(HttpMethod.Post, $"/collections/{name}/points/query", """{"query":{"text":"lazy dogs","model":"qdrant/bm25"},"using":"bm25","limit":10}""");
        var grpcHits = await Client.QueryAsync(name, new Query { Nearest = new VectorInput { Document = new Document { Text = "lazy dogs", Model = "qdrant/bm25" } } }, usingVector: "bm25", limit: 10);
        var restIds = restHits.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()).ToList();
        Assert.Equal([1ul, 5ul, 3ul, 7ul], restIds.Take(2).Order().Concat(restIds.Skip(2).Order()));
        Assert.Equal(restIds, grpcHits.Select(h => h.Id.Num));
        Assert.Equal(restHits.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("score").GetSingle()), grpcHits.Select(h => h.Score));

        // The parameters as created, on both wires.
        var info = await Rest(HttpMethod.Get, $"/collections/{name}", null);
        var body = info.GetProperty("payload_schema").GetProperty("body");
        Assert.Equal("text", body.GetProperty("data_type").GetString());
        Assert.Equal("english", body.GetProperty("params").GetProperty("stemmer").GetProperty("language").GetString());
        Assert.Equal("english", body.GetProperty("params").GetProperty("stopwords").GetString());
        Assert.Equal(8, body.GetProperty("points").GetInt32());
        var grpcInfo = await Client.GetCollectionInfoAsync(name);
        Assert.True(grpcInfo.PayloadSchema["title"].Params.TextIndexParams.PhraseMatching);
        Assert.Equal("english", grpcInfo.PayloadSchema["body"].Params.TextIndexParams.Stemmer.Snowball.Language);
    }
}
