using System.Text;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

public sealed partial class RestApiTests
{
    [Fact]
    public async Task BadRequestsGetQdrantsStatusCodesAndLoseNothing()
    {
        const string name = "coll_bad_requests";
        await _server.CreateCollectionAsync(name, """{"size": 4, "distance": "Dot"}""");
        await _server.UpsertAsync(name, """[{"id": 1, "vector": [1, 2, 3, 4], "payload": {"keep": true}}]""");

        var wrongDim = await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [{"id": 2, "vector": [1, 2, 3]}]}""");
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", wrongDim.Error(400));

        var wrongQueryDim = await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 2, 3]}""");
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 4, got 3", wrongQueryDim.Error(400));

        var malformed = await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [""");
        StartsWith("Format error in JSON body", malformed, malformed.Error(400));

        var wrongType = await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [{"id": 3, "vector": "abc"}]}""");
        StartsWith("Format error in JSON body", wrongType, wrongType.Error(400));

        var negative = await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [{"id": -1, "vector": [1, 2, 3, 4]}]}""");
        var negativeMessage = negative.Error(400);
        StartsWith("Format error in JSON body", negative, negativeMessage);
        negative.Check(negativeMessage.Contains("not a valid point ID", StringComparison.Ordinal), "message names the bad point id");

        var fractional = await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [{"id": 1.5, "vector": [1, 2, 3, 4]}]}""");
        fractional.Error(400);
        var numericString = await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [{"id": "123", "vector": [1, 2, 3, 4]}]}""");
        numericString.Error(400);

        var limitZero = await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 2, 3, 4], "limit": 0}""");
        StartsWith("Validation error in JSON body", limitZero, limitZero.Error(422));

        var unknownFilterKey = await _server.PostAsync($"/collections/{name}/points/query", """{"query": [1, 2, 3, 4], "filter": {"must": [], "bogus": 1}}""");
        StartsWith("Format error in JSON body", unknownFilterKey, unknownFilterKey.Error(400));

        var nullBody = await _server.PostAsync($"/collections/{name}/points/scroll", "null");
        nullBody.Check(nullBody.Status is >= 400 and < 500, "a null body is a client error");

        var emptyVector = await _server.PutAsync($"/collections/{name}/points?wait=true", """{"points": [{"id": 5, "vector": []}]}""");
        emptyVector.Check(emptyVector.Status is 400 or 422, "an empty vector is a client error");

        var badPathId = await _server.GetAsync($"/collections/{name}/points/not-an-id");
        badPathId.Error(400);

        // None of the rejected writes touched what was stored.
        Assert.Equal(1, await _server.CountAsync(name));
        Calls.AssertJson("""{"id": 1, "payload": {"keep": true}, "vector": [1, 2, 3, 4]}""", await _server.GetPointAsync(name, "1"));
    }

    [Fact]
    public async Task BodyOverMaxRequestSizeIs413()
    {
        await using var server = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__SERVICE__MAX_REQUEST_SIZE_MB", "1"));
        await server.CreateCollectionAsync("coll_big_body", """{"size": 2, "distance": "Dot"}""");

        var big = new StringBuilder("{\"points\": [{\"id\": 1, \"vector\": [1, 0], \"payload\": {\"blob\": \"");
        big.Append('x', 1_200_000).Append("\"}}]}");
        // Expect: 100-continue lets the server refuse before the body is sent; otherwise the client may still be
        // writing when the server answers and closes, and see a broken pipe instead of the 413.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/collections/coll_big_body/points?wait=true")
        {
            Content = new StringContent(big.ToString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        var response = await server.SendAsync(request, "(1.2 MB upsert body)");
        response.Error(413);

        // Just under the limit is accepted, and the server keeps serving.
        var fits = new StringBuilder("{\"points\": [{\"id\": 2, \"vector\": [0, 1], \"payload\": {\"blob\": \"");
        fits.Append('y', 900_000).Append("\"}}]}");
        (await server.PutAsync("/collections/coll_big_body/points?wait=true", fits.ToString())).Ok();
        Assert.Equal(1, await server.CountAsync("coll_big_body"));
    }

    private static void StartsWith(string prefix, ApiResponse response, string message) =>
        response.Check(message.StartsWith(prefix, StringComparison.Ordinal), $"error message should start with '{prefix}'");
}
