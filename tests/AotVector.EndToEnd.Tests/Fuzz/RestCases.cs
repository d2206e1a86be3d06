namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>A valid request for each main REST route; <c>{c}</c> is a collection name, <c>{id}</c> a point id, <c>{f}</c> a payload key.</summary>
internal static class RestCases
{
    private const string Filter = """{"must":[{"key":"city","match":{"value":"Berlin"}},{"key":"n","range":{"gte":1,"lt":30}}],"should":[{"key":"tags","match":{"any":["t1","t2"]}},{"has_id":[1,2,3]},{"key":"geo","geo_radius":{"center":{"lat":52,"lon":13},"radius":100000}}],"must_not":[{"is_empty":{"key":"city"}},{"key":"ts","range":{"gt":"2024-01-20T00:00:00Z"}}]}""";
    private const string NestedFilter = """{"must":[{"nested":{"key":"nested","filter":{"must":[{"key":"x","match":{"value":1}}]}}},{"key":"city","match":{"except":["Oslo"]}},{"key":"tags","values_count":{"gte":1}},{"key":"geo","geo_bounding_box":{"top_left":{"lat":60,"lon":0},"bottom_right":{"lat":40,"lon":20}}}],"min_should":{"conditions":[{"is_null":{"key":"city"}},{"key":"n","match":{"value":3}}],"min_count":1}}""";
    private const string Vector = "[0.1,0.2,0.3,0.4]";

    public static readonly IReadOnlyList<(string Method, string Path, string? Body)> All = new (string Method, string Path, string? Body)[]
    {
        ("PUT", "/collections/{c}", """{"vectors":{"size":4,"distance":"Cosine"},"hnsw_config":{"m":8,"ef_construct":16,"full_scan_threshold":100},"optimizers_config":{"indexing_threshold":20000,"default_segment_number":1},"wal_config":{"wal_capacity_mb":1},"on_disk_payload":false}"""),
        ("PUT", "/collections/{c}", """{"vectors":{"a":{"size":2,"distance":"Euclid","on_disk":true},"b":{"size":3,"distance":"Manhattan"}}}"""),
        ("PATCH", "/collections/{c}", """{"optimizers_config":{"indexing_threshold":10000},"hnsw_config":{"ef_construct":32},"params":{"on_disk_payload":true}}"""),
        ("DELETE", "/collections/{c}", null),
        ("GET", "/collections/{c}", null),
        ("GET", "/collections/{c}/exists", null),
        ("GET", "/collections", null),
        ("PUT", "/collections/{c}/points?wait=true", """{"points":[{"id":{id},"vector":$VECTOR,"payload":{"city":"Oslo","n":7,"tags":["a","b"],"geo":{"lat":1.5,"lon":2.5},"obj":{"k":[1,{"z":null}]}}},{"id":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26","vector":[0,0,0,1]}]}"""),
        ("PUT", "/collections/{c}/points?wait=true", """{"batch":{"ids":[31,32],"vectors":[[1,0,0,0],[0,1,0,0]],"payloads":[{"city":"Rome"},null]}}"""),
        ("PUT", "/collections/{c}/points?wait=true", """{"points":[{"id":33,"vector":{"a":[1,2,3,4],"b":[0.5,0.5]},"payload":{"city":"Paris"}}]}"""),
        ("POST", "/collections/{c}/points/delete?wait=true", """{"points":[36,"00000000-0000-0000-0000-000000000001"]}"""),
        ("POST", "/collections/{c}/points/delete?wait=true", """{"filter":{"must":[{"key":"n","range":{"gt":35}}]}}"""),
        ("POST", "/collections/{c}/points/payload?wait=true", """{"payload":{"k":"v","n":2},"points":[1,2],"key":"obj"}"""),
        ("PUT", "/collections/{c}/points/payload?wait=true", """{"payload":{"city":"Berlin"},"filter":$FILTER}"""),
        ("POST", "/collections/{c}/points/payload/delete?wait=true", """{"keys":["k","obj.k"],"points":[1,2,3]}"""),
        ("POST", "/collections/{c}/points/payload/clear?wait=true", """{"points":[35]}"""),
        ("PUT", "/collections/{c}/points/vectors?wait=true", """{"points":[{"id":2,"vector":$VECTOR}]}"""),
        ("POST", "/collections/{c}/points/vectors/delete?wait=true", """{"points":[34],"vector":["b"]}"""),
        ("POST", "/collections/{c}/points/batch?wait=true", """{"operations":[{"upsert":{"points":[{"id":30,"vector":$VECTOR}]}},{"set_payload":{"payload":{"x":1},"points":[30]}},{"delete_payload":{"keys":["x"],"points":[30]}},{"delete":{"points":[30]}}]}"""),
        ("GET", "/collections/{c}/points/{id}", null),
        ("POST", "/collections/{c}/points", """{"ids":[1,2,"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"],"with_payload":["city","n"],"with_vector":true}"""),
        ("POST", "/collections/{c}/points/scroll", """{"filter":$FILTER,"limit":5,"offset":2,"with_payload":{"exclude":["geo"]},"with_vector":false}"""),
        ("POST", "/collections/{c}/points/scroll", """{"limit":3,"order_by":{"key":"n","direction":"desc","start_from":20}}"""),
        ("POST", "/collections/{c}/points/count", """{"filter":$NESTED_FILTER,"exact":true}"""),
        ("POST", "/collections/{c}/points/query", """{"query":$VECTOR,"limit":5,"offset":1,"filter":$FILTER,"with_payload":true,"params":{"hnsw_ef":32,"exact":false},"score_threshold":-10}"""),
        ("POST", "/collections/{c}/points/query", """{"prefetch":[{"query":[1,0,0,0],"limit":10},{"query":{"recommend":{"positive":[1],"negative":[2]}},"limit":10}],"query":{"fusion":"rrf"},"limit":3}"""),
        ("POST", "/collections/{c}/points/query", """{"query":{"order_by":"n"},"limit":4,"using":"a"}"""),
        ("POST", "/collections/{c}/points/query/batch", """{"searches":[{"query":$VECTOR,"limit":2},{"query":7,"limit":1,"filter":$NESTED_FILTER}]}"""),
        ("POST", "/collections/{c}/points/search", """{"vector":$VECTOR,"limit":3,"filter":$FILTER,"with_vector":true}"""),
        ("POST", "/collections/{c}/points/search", """{"vector":{"name":"a","vector":[1,1,1,1]},"limit":3}"""),
        ("POST", "/collections/{c}/points/search/batch", """{"searches":[{"vector":$VECTOR,"limit":2},{"vector":[0,0,0,0],"limit":1}]}"""),
        ("POST", "/collections/{c}/points/recommend", """{"positive":[1,[0.1,0.1,0.1,0.1]],"negative":[2],"limit":3,"strategy":"best_score"}"""),
        ("POST", "/collections/{c}/points/recommend/batch", """{"searches":[{"positive":[1],"limit":2}]}"""),
        ("POST", "/collections/aliases", """{"actions":[{"create_alias":{"collection_name":"{c}","alias_name":"fuzz_alias"}},{"rename_alias":{"old_alias_name":"fuzz_alias","new_alias_name":"fuzz_alias2"}},{"delete_alias":{"alias_name":"fuzz_alias2"}}]}"""),
        ("GET", "/aliases", null),
        ("GET", "/collections/{c}/aliases", null),
        ("PUT", "/collections/{c}/index?wait=true", """{"field_name":"{f}","field_schema":"keyword"}"""),
        ("PUT", "/collections/{c}/index?wait=true", """{"field_name":"{f}","field_schema":{"type":"integer","lookup":true,"range":true}}"""),
        ("PUT", "/collections/{c}/index?wait=true", """{"field_name":"ts","field_schema":"datetime"}"""),
        ("DELETE", "/collections/{c}/index/{f}?wait=true", null),
    }.Select(c => (c.Method, c.Path, c.Body is null ? null : Expand(c.Body))).ToList();

    private static string Expand(string json) => json
        .Replace("$NESTED_FILTER", NestedFilter, StringComparison.Ordinal)
        .Replace("$FILTER", Filter, StringComparison.Ordinal)
        .Replace("$VECTOR", Vector, StringComparison.Ordinal);
}
