using System.Text.Json;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

public sealed partial class RestGrpcParityTests
{
    /// <summary>A relevance feedback query, at the top and inside a prefetch, gives the same points and scores on both wires; b &lt; 0 is refused on both.</summary>
    [Fact]
    public async Task RelevanceFeedback_SameHitsAndScores_AndRefusals()
    {
        await Rest(HttpMethod.Put, "/collections/feedback", """{"vectors":{"size":4,"distance":"Cosine"}}""");
        var vectors = SeededRandom.Vectors(61, 80, 4);
        var points = string.Join(",", vectors.Select((v, i) => "{\"id\":" + i + ",\"vector\":[" + Floats(v) + "]}"));
        await Rest(HttpMethod.Put, "/collections/feedback/points?wait=true", "{\"points\":[" + points + "]}");
        var target = SeededRandom.Vectors(62, 1, 4)[0];
        var feedbackJson = "{\"target\":[" + Floats(target) + "],\"feedback\":[{\"example\":3,\"score\":0.9},{\"example\":[" + Floats(vectors[40]) + "],\"score\":0.1},{\"example\":7,\"score\":0.5}],\"strategy\":{\"naive\":{\"a\":0.8,\"b\":1.5,\"c\":0.6}}}";
        RelevanceFeedbackInput Input() => new()
        {
            Target = new VectorInput { Dense = new DenseVector { Data = { target } } },
            Feedback =
            {
                new FeedbackItem { Example = new VectorInput { Id = new PointId { Num = 3 } }, Score = 0.9f },
                new FeedbackItem { Example = new VectorInput { Dense = new DenseVector { Data = { vectors[40] } } }, Score = 0.1f },
                new FeedbackItem { Example = new VectorInput { Id = new PointId { Num = 7 } }, Score = 0.5f },
            },
            Strategy = new FeedbackStrategy { Naive = new NaiveFeedbackStrategy { A = 0.8f, B = 1.5f, C = 0.6f } },
        };

        var restTop = await Rest(HttpMethod.Post, "/collections/feedback/points/query", "{\"query\":{\"relevance_feedback\":" + feedbackJson + "},\"limit\":10}");
        var grpcTop = await Client.QueryAsync("feedback", new Query { RelevanceFeedback = Input() }, limit: 10);
        AssertSame(restTop, grpcTop);
        Assert.DoesNotContain(grpcTop, p => p.Id.Num is 3 or 7);

        var restNode = await Rest(HttpMethod.Post, "/collections/feedback/points/query", "{\"prefetch\":{\"query\":[" + Floats(target) + "],\"limit\":30},\"query\":{\"relevance_feedback\":" + feedbackJson + "},\"limit\":5}");
        var grpcNode = await Client.QueryAsync("feedback", new Query { RelevanceFeedback = Input() }, prefetch: [new PrefetchQuery { Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { target } } } }, Limit = 30 }], limit: 5);
        AssertSame(restNode, grpcNode);

        var badRest = await RestError(HttpMethod.Post, "/collections/feedback/points/query", "{\"query\":{\"relevance_feedback\":" + feedbackJson.Replace("\"b\":1.5", "\"b\":-1", StringComparison.Ordinal) + "}}");
        var badInput = Input();
        badInput.Strategy.Naive.B = -1;
        var badGrpc = await Assert.ThrowsAsync<RpcException>(() => Client.QueryAsync("feedback", new Query { RelevanceFeedback = badInput }));
        Assert.Equal((422, StatusCode.InvalidArgument), (badRest.Status, badGrpc.StatusCode));
        Assert.Equal("Validation error in JSON body: [internal.query.relevance_feedback.strategy.naive.b: value -1.0 invalid, must be 0.0 or larger]", badRest.Message);
        Assert.EndsWith("[internal.query.relevance_feedback.strategy.naive.b: value -1.0 invalid, must be 0.0 or larger]", badGrpc.Status.Detail, StringComparison.Ordinal);
    }

    private static void AssertSame(JsonElement rest, IReadOnlyList<ScoredPoint> grpc)
    {
        var restHits = rest.GetProperty("points").EnumerateArray().Select(p => (Id: p.GetProperty("id").GetUInt64(), Score: p.GetProperty("score").GetSingle())).ToArray();
        Assert.NotEmpty(restHits);
        Assert.Equal(restHits.Select(h => h.Id), grpc.Select(h => h.Id.Num));
        for (var i = 0; i < restHits.Length; i++)
        {
            Assert.Equal(restHits[i].Score, grpc[i].Score, 5);
        }
    }
}
