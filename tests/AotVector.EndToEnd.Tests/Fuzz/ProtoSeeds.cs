namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>
/// One valid request per method that has a useful one, in proto3 JSON, against the fuzz collections. The fuzzer
/// appends random fields to their bytes (a concatenation of two encodings is their merge), so most mutated
/// requests get past validation into the engine.
/// </summary>
internal static class ProtoSeeds
{
    private const string Point = """{"id":{"num":"3"},"vectors":{"vector":{"data":[0.1,0.2,0.3,0.4]}},"payload":{"city":{"stringValue":"Berlin"},"n":{"integerValue":"3"},"tags":{"listValue":{"values":[{"stringValue":"a"}]}}}}""";
    private const string Ids = """{"points":{"ids":[{"num":"1"},{"uuid":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"}]}}""";
    private const string Filter = """{"must":[{"field":{"key":"n","range":{"gte":2,"lt":30}}}],"should":[{"field":{"key":"city","match":{"keyword":"Berlin"}}},{"hasId":{"hasId":[{"num":"1"}]}}],"mustNot":[{"isEmpty":{"key":"tags"}}]}""";

    public static readonly IReadOnlyDictionary<string, string> Json = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/qdrant.Qdrant/HealthCheck"] = "{}",
        ["/grpc.health.v1.Health/Check"] = """{"service":""}""",
        ["/grpc.health.v1.Health/Watch"] = """{"service":""}""",
        ["/qdrant.Collections/Get"] = """{"collectionName":"fuzz"}""",
        ["/qdrant.Collections/List"] = "{}",
        ["/qdrant.Collections/Create"] = """{"collectionName":"fuzz_new","vectorsConfig":{"params":{"size":"4","distance":"Dot"}},"hnswConfig":{"m":"8"}}""",
        ["/qdrant.Collections/Update"] = """{"collectionName":"fuzz","optimizersConfig":{"indexingThreshold":"20000"}}""",
        ["/qdrant.Collections/Delete"] = """{"collectionName":"fuzz_new"}""",
        ["/qdrant.Collections/UpdateAliases"] = """{"actions":[{"createAlias":{"collectionName":"fuzz","aliasName":"fuzz_alias"}},{"renameAlias":{"oldAliasName":"fuzz_alias","newAliasName":"fuzz_alias2"}},{"deleteAlias":{"aliasName":"fuzz_alias2"}}]}""",
        ["/qdrant.Collections/ListCollectionAliases"] = """{"collectionName":"fuzz"}""",
        ["/qdrant.Collections/CollectionExists"] = """{"collectionName":"fuzz"}""",
        ["/qdrant.Points/Upsert"] = """{"collectionName":"fuzz","wait":true,"points":[$POINT]}""",
        ["/qdrant.Points/Delete"] = """{"collectionName":"fuzz","points":{"points":{"ids":[{"num":"39"}]}}}""",
        ["/qdrant.Points/UpdateVectors"] = """{"collectionName":"fuzz","points":[{"id":{"num":"2"},"vectors":{"vector":{"data":[0.4,0.3,0.2,0.1]}}}]}""",
        ["/qdrant.Points/DeleteVectors"] = """{"collectionName":"fuzz_named","pointsSelector":{"points":{"ids":[{"num":"5"}]}},"vectors":{"names":["b"]}}""",
        ["/qdrant.Points/SetPayload"] = """{"collectionName":"fuzz","payload":{"tags":{"listValue":{"values":[{"stringValue":"x"}]}}},"pointsSelector":$IDS}""",
        ["/qdrant.Points/OverwritePayload"] = """{"collectionName":"fuzz","payload":{"city":{"stringValue":"Paris"}},"pointsSelector":$IDS}""",
        ["/qdrant.Points/DeletePayload"] = """{"collectionName":"fuzz","keys":["tags"],"pointsSelector":{"filter":{"must":[{"field":{"key":"city","match":{"keyword":"Paris"}}}]}}}""",
        ["/qdrant.Points/ClearPayload"] = """{"collectionName":"fuzz","points":{"points":{"ids":[{"num":"38"}]}}}""",
        ["/qdrant.Points/CreateFieldIndex"] = """{"collectionName":"fuzz","fieldName":"n","fieldType":"FieldTypeInteger"}""",
        ["/qdrant.Points/DeleteFieldIndex"] = """{"collectionName":"fuzz","fieldName":"n"}""",
        ["/qdrant.Points/UpdateBatch"] = """{"collectionName":"fuzz","operations":[{"upsert":{"points":[$POINT]}},{"deletePoints":{"points":{"points":{"ids":[{"num":"37"}]}}}},{"clearPayload":{"points":$IDS}}]}""",
        ["/qdrant.Points/Get"] = """{"collectionName":"fuzz","ids":[{"num":"1"},{"uuid":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"}],"withPayload":{"enable":true},"withVectors":{"enable":true}}""",
        ["/qdrant.Points/Scroll"] = """{"collectionName":"fuzz","filter":$FILTER,"limit":5,"withPayload":{"enable":true}}""",
        ["/qdrant.Points/Count"] = """{"collectionName":"fuzz","exact":true,"filter":$FILTER}""",
        ["/qdrant.Points/Query"] = """{"collectionName":"fuzz","query":{"nearest":{"dense":{"data":[0.1,0.2,0.3,0.4]}}},"limit":"5","withPayload":{"enable":true},"filter":$FILTER}""",
        ["/qdrant.Points/QueryBatch"] = """{"collectionName":"fuzz","queryPoints":[{"collectionName":"fuzz","query":{"nearest":{"id":{"num":"1"}}},"limit":"3"}]}""",
        ["/qdrant.Points/Search"] = """{"collectionName":"fuzz","vector":[0.1,0.2,0.3,0.4],"limit":"3","params":{"hnswEf":"16"},"filter":{"must":[{"field":{"key":"geo","geoRadius":{"center":{"lat":52.5,"lon":13.4},"radius":1000}}}]}}""",
        ["/qdrant.Points/SearchBatch"] = """{"collectionName":"fuzz","searchPoints":[{"collectionName":"fuzz","vector":[1,0,0,0],"limit":"2"}]}""",
        ["/qdrant.Points/Recommend"] = """{"collectionName":"fuzz","positive":[{"num":"1"}],"negative":[{"num":"2"}],"limit":"3"}""",
        ["/qdrant.Points/RecommendBatch"] = """{"collectionName":"fuzz","recommendPoints":[{"collectionName":"fuzz","positive":[{"num":"1"}],"limit":"3"}]}""",
    }.ToDictionary(s => s.Key, s => Expand(s.Value), StringComparer.Ordinal);

    private static string Expand(string json) =>
        json.Replace("$POINT", Point, StringComparison.Ordinal).Replace("$IDS", Ids, StringComparison.Ordinal).Replace("$FILTER", Filter, StringComparison.Ordinal);
}
