using System.Text.Json;

namespace AotVector.EndToEnd.Tests.Infrastructure;

/// <summary>The few REST calls most tests need for setup, each asserting success.</summary>
public static class Calls
{
    /// <summary>PUT /collections/{name} with the given <c>vectors</c> JSON; asserts <c>result: true</c>.</summary>
    public static async Task CreateCollectionAsync(this ServerProcess server, string name, string vectorsJson)
    {
        var result = (await server.PutAsync($"/collections/{name}", $$"""{"vectors": {{vectorsJson}}}""")).Ok();
        Assert.Equal(JsonValueKind.True, result.ValueKind);
    }

    /// <summary>Upsert in list form with wait=true; asserts the UpdateResult says completed.</summary>
    public static async Task UpsertAsync(this ServerProcess server, string collection, string pointsJson)
    {
        var response = await server.PutAsync($"/collections/{collection}/points?wait=true", $$"""{"points": {{pointsJson}}}""");
        var result = response.Ok();
        response.Check(result.Has("status") && result.At("status").GetString() == "completed", "upsert with wait=true must answer completed");
    }

    public static async Task<long> CountAsync(this ServerProcess server, string collection, string? filterJson = null)
    {
        var body = filterJson is null ? """{"exact": true}""" : $$"""{"exact": true, "filter": {{filterJson}}}""";
        return (await server.PostAsync($"/collections/{collection}/points/count", body)).Ok().At("count").GetInt64();
    }

    /// <summary>GET /collections/{c}/points/{id}; asserts 200 and returns the record.</summary>
    public static async Task<JsonElement> GetPointAsync(this ServerProcess server, string collection, string id) =>
        (await server.GetAsync($"/collections/{collection}/points/{id}")).Ok();

    public static async Task<JsonElement> InfoAsync(this ServerProcess server, string collection) =>
        (await server.GetAsync($"/collections/{collection}")).Ok();

    /// <summary>Scrolls the whole collection (optionally filtered) page by page and returns every record.</summary>
    public static async Task<List<JsonElement>> ScrollAllAsync(this ServerProcess server, string collection, int pageSize = 100, string? filterJson = null)
    {
        var records = new List<JsonElement>();
        string? offset = null;
        for (var page = 0; page < 100_000; page++)
        {
            var body = "{\"limit\": " + pageSize + ", \"with_payload\": true"
                + (offset is null ? string.Empty : ", \"offset\": " + offset)
                + (filterJson is null ? string.Empty : ", \"filter\": " + filterJson) + "}";
            var result = (await server.PostAsync($"/collections/{collection}/points/scroll", body)).Ok();
            records.AddRange(result.At("points").EnumerateArray());
            var next = result.At("next_page_offset");
            if (next.ValueKind == JsonValueKind.Null)
            {
                return records;
            }

            offset = next.GetRawText();
        }

        throw new InvalidOperationException("scroll did not terminate");
    }

    /// <summary>Asserts two JSON values are equal (numbers compared by value), showing both on failure.</summary>
    public static void AssertJson(string expected, JsonElement actual, string? context = null)
    {
        using var doc = JsonDocument.Parse(expected);
        if (!JsonElement.DeepEquals(doc.RootElement, actual))
        {
            Assert.Fail($"JSON differs{(context is null ? string.Empty : " (" + context + ")")}\nexpected: {doc.RootElement.GetRawText()}\nactual:   {actual.GetRawText()}");
        }
    }

    public static void AssertJson(string expected, string actual, string? context = null)
    {
        using var doc = JsonDocument.Parse(actual);
        AssertJson(expected, doc.RootElement, context);
    }

    /// <summary>Accepts either no payload key or an empty payload object, as Qdrant returns for points without payload.</summary>
    public static void AssertEmptyPayload(JsonElement record)
    {
        if (record.Has("payload"))
        {
            var payload = record.At("payload");
            Assert.True(
                payload.ValueKind == JsonValueKind.Object && !payload.EnumerateObject().Any(),
                "expected an empty payload, got " + payload.GetRawText());
        }
    }
}
