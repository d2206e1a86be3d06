using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Formula queries and MMR through the official .NET client (QueryAsync with a Formula or a NearestInputWithMmr) and
/// through REST points/query: the same points and scores on both wires, the ones a brute-force computation of the
/// reference's formulas gives, and the reference's errors word for word on both.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    private static readonly float[] s_formulaTarget = SeededRandom.Vectors(65, 1, 8)[0];

    [Fact]
    public async Task Formula_SameOnBothWires_AndAsComputed()
    {
        await CreateKinds("kinds_formula");

        // $score + 0.1·p + a day-wide gauss decay of t around 2024-01-03 + 2 for p = 3.
        var grpc = await Client.QueryAsync(
            "kinds_formula",
            prefetch: [new PrefetchQuery { Query = s_formulaTarget, Using = "a", Limit = 40 }],
            query: new Query
            {
                Formula = new Formula
                {
                    Expression = new Expression
                    {
                        Sum = new SumExpression
                        {
                            Sum =
                            {
                                new Expression { Variable = "$score" },
                                new Expression { Mult = new MultExpression { Mult = { new Expression { Constant = 0.1f }, new Expression { Variable = "p" } } } },
                                new Expression
                                {
                                    GaussDecay = new DecayParamsExpression
                                    {
                                        X = new Expression { DatetimeKey = "t" },
                                        Target = new Expression { Datetime = "2024-01-03T00:00:00Z" },
                                        Scale = 86_400,
                                    },
                                },
                                new Expression { Mult = new MultExpression { Mult = { new Expression { Constant = 2 }, new Expression { Condition = Conditions.Match("p", 3) } } } },
                            },
                        },
                    },
                },
            },
            limit: 10);
        var rest = await RestHits("kinds_formula", "{\"prefetch\":{\"query\":[" + Floats(s_formulaTarget) + "],\"using\":\"a\",\"limit\":40},"
            + "\"" + """query":{"formula":{"sum":["$score",{"mult":[0.1,"p"]},{"gauss_decay":{"x":{"datetime_key":"t"},"target":{"datetime":"2024-01-03T00:00:00Z"},"scale":86400}},{"mult":[2,{"key":"p","match":{"value":3}}]}]}},"limit":10}""");

        var day3 = new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero);
        var near = KindsBrute(Enumerable.Range(0, KindsCount), i => KindsCosine(i, s_formulaTarget)).Take(40);
        var expected = near.Select(e =>
        {
            var i = (int)e.Id;
            var seconds = (DateTimeOffset.Parse(KindsTime(i), System.Globalization.CultureInfo.InvariantCulture) - day3).TotalSeconds;
            var decay = Math.Exp(Math.Log(0.5) / (86_400.0 * 86_400.0) * seconds * seconds);
            return (e.Id, Score: (float)(e.Score + ((double)0.1f * (i % 13)) + decay + (i % 13 == 3 ? 2 : 0)));
        }).OrderByDescending(e => e.Score).ThenBy(e => e.Id).Take(10).ToList();
        Assert.Equal(expected.Select(e => e.Id), grpc.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), grpc.Select(p => p.Score), new CloseFloats(1e-4f));
        Assert.Equal(grpc.Select(p => (p.Id.Num, p.Score)).ToList(), rest);
    }

    [Fact]
    public async Task Formula_Errors_SameOnBothWires()
    {
        await CreateKinds("kinds_formula_errors");
        var prefetch = "{\"prefetch\":{\"query\":[" + Floats(s_formulaTarget) + "],\"using\":\"a\",\"limit\":5},";
        PrefetchQuery[] grpcPrefetch = [new PrefetchQuery { Query = s_formulaTarget, Using = "a", Limit = 5 }];

        var restMissing = await RestError(HttpMethod.Post, "/collections/kinds_formula_errors/points/query", prefetch + "\"" + """query":{"formula":"nope"}}""");
        var grpcMissing = await Assert.ThrowsAsync<RpcException>(() => Client.QueryAsync("kinds_formula_errors", prefetch: grpcPrefetch, query: new Query { Formula = new Formula { Expression = new Expression { Variable = "nope" } } }));
        Assert.Equal((400, StatusCode.InvalidArgument), (restMissing.Status, grpcMissing.StatusCode));
        Assert.Equal("Wrong input: Expected number value for nope in the payload and/or in the formula defaults. Error: No value found in a payload nor defaults", restMissing.Message);
        Assert.Equal(restMissing.Message, grpcMissing.Status.Detail);

        var restDiv = await RestError(HttpMethod.Post, "/collections/kinds_formula_errors/points/query", prefetch + "\"" + """query":{"formula":{"div":{"left":1,"right":{"mult":["p",0]}}}}}""");
        var grpcDiv = await Assert.ThrowsAsync<RpcException>(() => Client.QueryAsync("kinds_formula_errors", prefetch: grpcPrefetch, query: new Query
        {
            Formula = new Formula { Expression = new Expression { Div = new DivExpression { Left = new Expression { Constant = 1 }, Right = new Expression { Mult = new MultExpression { Mult = { new Expression { Variable = "p" }, new Expression { Constant = 0 } } } } } } },
        }));
        Assert.Equal("Wrong input: The expression 1/0 = inf produced a non-finite number", restDiv.Message);
        Assert.Equal(restDiv.Message, grpcDiv.Status.Detail);

        // With by_zero_default, and a default for the missing key, both answer.
        var fine = await RestHits("kinds_formula_errors", prefetch + "\"" + """query":{"formula":{"sum":[{"div":{"left":1,"right":0,"by_zero_default":5}},"nope"]},"defaults":{"nope":1}}}""");
        Assert.All(fine, p => Assert.Equal(6f, p.Score));
        Assert.Equal(5, fine.Count);
    }

    [Fact]
    public async Task Mmr_SameOnBothWires_AndAsComputed()
    {
        await CreateKinds("kinds_mmr");
        var grpc = await Client.QueryAsync(
            "kinds_mmr",
            query: new Query { NearestWithMmr = new NearestInputWithMmr { Nearest = s_formulaTarget, Mmr = new Mmr { Diversity = 0.6f, CandidatesLimit = 30 } } },
            usingVector: "a",
            limit: 8,
            searchParams: new SearchParams { Exact = true });
        var rest = await RestHits("kinds_mmr", "{\"query\":{\"nearest\":[" + Floats(s_formulaTarget) + "],\"mmr\":{\"diversity\":0.6,\"candidates_limit\":30}},\"using\":\"a\",\"limit\":8,\"params\":{\"exact\":true}}");

        var pool = KindsBrute(Enumerable.Range(0, KindsCount), i => KindsCosine(i, s_formulaTarget)).Take(30).ToList();
        var chosen = new List<(ulong Id, float Score)>();
        while (chosen.Count < 8)
        {
            var next = pool.Where(p => !chosen.Contains(p))
                .Select(p => (Point: p, Mmr: chosen.Count == 0 ? p.Score : (0.4f * p.Score) - (0.6f * chosen.Max(c => KindsCosine((int)p.Id, s_kinds[c.Id])))))
                .OrderByDescending(e => e.Mmr).First();
            chosen.Add(next.Point);
        }

        Assert.Equal(chosen.Select(e => e.Id), grpc.Select(p => p.Id.Num));
        Assert.Equal(chosen.Select(e => e.Score), grpc.Select(p => p.Score), new CloseFloats(1e-5f));
        Assert.Equal(grpc.Select(p => (p.Id.Num, p.Score)).ToList(), rest);
        Assert.NotEqual(pool.Take(8).Select(e => e.Id), grpc.Select(p => p.Id.Num));

        var restBad = await RestError(HttpMethod.Post, "/collections/kinds_mmr/points/query", """{"query":{"nearest":1,"mmr":{"diversity":2}},"using":"a"}""");
        var grpcBad = await Assert.ThrowsAsync<RpcException>(() => Client.QueryAsync("kinds_mmr", query: new Query { NearestWithMmr = new NearestInputWithMmr { Nearest = 1UL, Mmr = new Mmr { Diversity = 2 } } }, usingVector: "a"));
        Assert.Equal((422, StatusCode.InvalidArgument), (restBad.Status, grpcBad.StatusCode));
        Assert.Equal("Validation error in JSON body: [query.mmr.diversity: value 2.0 invalid, must be from 0.0 to 1.0]", restBad.Message);
        Assert.Contains("query.mmr.diversity: value 2.0 invalid, must be from 0.0 to 1.0", grpcBad.Status.Detail);
    }
}
