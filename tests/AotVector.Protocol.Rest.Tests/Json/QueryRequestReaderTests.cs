using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class QueryRequestReaderTests
{
    private static QueryRequest Query(string json) => Body.Ok(json, e => QueryRequestReader.ReadQuery(e, ""));

    private static QueryRequest Search(string json) => Body.Ok(json, e => QueryRequestReader.ReadSearch(e, ""));

    private static QueryRequest Recommend(string json) => Body.Ok(json, e => QueryRequestReader.ReadRecommend(e, ""));

    [Fact]
    public void ReadQuery_Defaults()
    {
        var request = Query("{}");
        Assert.Null(request.Query);
        Assert.Equal(10u, request.Limit);
        Assert.Equal(0u, request.Offset);
        Assert.Equal(WithPayload.None, request.WithPayload);
        Assert.Equal(WithVector.None, request.WithVector);
        Assert.Null(request.Filter);
        Assert.Null(request.Using);
        Assert.Null(request.ScoreThreshold);
        Assert.Null(request.Params);
    }

    [Fact]
    public void ReadQuery_FullRequest()
    {
        var request = Query("""
            {"query":[0.1,0.2,0.3,0.4],"using":"image","filter":{"must":[{"key":"city","match":{"value":"London"}}]},
             "limit":3,"offset":2,"with_payload":["city"],"with_vector":true,"score_threshold":0.5,
             "params":{"hnsw_ef":128,"exact":true,"quantization":{"rescore":true}},"lookup_from":{"collection":"other","vector":"v"},"prefetch":[]}
            """);
        var nearest = Assert.IsType<NearestQuery>(request.Query);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], Assert.IsType<DenseVectorInput>(nearest.Target).Vector);
        Assert.Equal("image", request.Using);
        Assert.Single(request.Filter!.Must!);
        Assert.Equal(3u, request.Limit);
        Assert.Equal(2u, request.Offset);
        Assert.Equal(["city"], request.WithPayload.Include!);
        Assert.True(request.WithVector.Enable);
        Assert.Equal(0.5f, request.ScoreThreshold);
        Assert.Equal(new SearchParams(128, true, new QuantizationSearchParams(Rescore: true)), request.Params);
        Assert.Equal(new LookupLocation("other", "v"), request.LookupFrom);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"5c56c793-69f3-4fbf-87e6-c4bf54c28c26\"")]
    [InlineData("{\"nearest\":42}")]
    public void ReadQuery_PointId_IsNearestByStoredVector(string query)
    {
        var nearest = Assert.IsType<NearestQuery>(Query("{\"query\":" + query + "}").Query);
        Assert.IsType<PointIdInput>(nearest.Target);
    }

    [Fact]
    public void ReadQuery_ArrayOfArrays_IsAMultivectorQuery()
    {
        var nearest = Assert.IsType<NearestQuery>(Query("""{"query":[[1,2],[3,4]],"using":"colbert"}""").Query);
        Assert.Equal(new MultiDenseVector([1, 2, 3, 4], 2), Assert.IsType<MultiDenseVectorInput>(nearest.Target).Vector);
    }

    [Fact]
    public void ReadQuery_Recommend()
    {
        var recommend = Assert.IsType<RecommendQuery>(Query("""{"query":{"recommend":{"positive":[1,[0.5,0.5]],"negative":[2],"strategy":"best_score"}}}""").Query);
        Assert.Equal(PointId.FromNum(1), Assert.IsType<PointIdInput>(recommend.Positive[0]).Id);
        Assert.IsType<DenseVectorInput>(recommend.Positive[1]);
        Assert.Single(recommend.Negative);
        Assert.Equal(RecommendStrategy.BestScore, recommend.Strategy);
    }

    [Fact]
    public void ReadQuery_DiscoverContextOrderBySample()
    {
        var discover = Assert.IsType<DiscoverQuery>(Query("""{"query":{"discover":{"target":[1,2],"context":{"positive":1,"negative":[0.5,0.5]}}}}""").Query);
        Assert.IsType<DenseVectorInput>(discover.Target);
        var pair = Assert.Single(discover.Context);
        Assert.Equal(PointId.FromNum(1), Assert.IsType<PointIdInput>(pair.Positive).Id);
        Assert.Empty(Assert.IsType<DiscoverQuery>(Query("""{"query":{"discover":{"target":1,"context":null}}}""").Query).Context);
        Assert.Equal(2, Assert.IsType<ContextQuery>(Query("""{"query":{"context":[{"positive":1,"negative":2},{"positive":3,"negative":4}]}}""").Query).Pairs.Count);
        Assert.Equal(new OrderBy("price"), Assert.IsType<OrderByQuery>(Query("""{"query":{"order_by":"price"}}""").Query).OrderBy);
        Assert.Equal(
            new OrderBy("a.b", OrderDirection.Desc, OrderValue.Of(2.5)),
            Assert.IsType<OrderByQuery>(Query("""{"query":{"order_by":{"key":"a.b","direction":"desc","start_from":2.5}}}""").Query).OrderBy);
        Assert.IsType<SampleQuery>(Query("""{"query":{"sample":"random"}}""").Query);

        Assert.Contains("missing field `context`", Body.Fail("""{"query":{"discover":{"target":1}}}""", e => QueryRequestReader.ReadQuery(e, "")).Message);
        Assert.Contains("missing field `negative`", Body.Fail("""{"query":{"context":{"positive":1}}}""", e => QueryRequestReader.ReadQuery(e, "")).Message);
        Assert.Contains("unknown variant `fair`, expected `random`", Body.Fail("""{"query":{"sample":"fair"}}""", e => QueryRequestReader.ReadQuery(e, "")).Message);
    }

    [Fact]
    public void ReadQuery_RelevanceFeedback()
    {
        var feedback = Assert.IsType<RelevanceFeedbackQuery>(Query("""
            {"query":{"relevance_feedback":{"target":[1,2],"feedback":[{"example":7,"score":0.5},{"example":[0,1],"score":0.25}],"strategy":{"naive":{"a":1,"b":0.5,"c":2}}}}}
            """).Query);
        Assert.Equal([1f, 2f], Assert.IsType<DenseVectorInput>(feedback.Target).Vector);
        Assert.Equal(2, feedback.Feedback.Count);
        Assert.Equal(PointId.FromNum(7), Assert.IsType<PointIdInput>(feedback.Feedback[0].Example).Id);
        Assert.Equal(0.25f, feedback.Feedback[1].Score);
        Assert.Equal(new NaiveFeedbackStrategy(1, 0.5f, 2), feedback.Strategy);

        var empty = Body.Fail("""{"query":{"relevance_feedback":{"target":[1,2],"feedback":[],"strategy":{"naive":{"a":1,"b":1,"c":1}}}}}""", e => QueryRequestReader.ReadQuery(e, ""));
        Assert.Equal(ErrorKind.Validation, empty.Kind);
        Assert.Equal("Validation error in JSON body: [internal.query.relevance_feedback.__all__: feedback elements must be non-empty]", empty.Message);
        var inPrefetch = Body.Fail("""{"prefetch":{"query":{"relevance_feedback":{"target":[1,2],"feedback":[],"strategy":{"naive":{"a":1,"b":1,"c":1}}}}},"query":{"fusion":"rrf"}}""", e => QueryRequestReader.ReadQuery(e, ""));
        Assert.Contains("[internal.prefetch[0].query.relevance_feedback.__all__: feedback elements must be non-empty]", inPrefetch.Message, StringComparison.Ordinal);
        Assert.Contains("missing field `strategy`", Body.Fail("""{"query":{"relevance_feedback":{"target":1,"feedback":[{"example":2,"score":1}]}}}""", e => QueryRequestReader.ReadQuery(e, "")).Message, StringComparison.Ordinal);
        Assert.Contains("missing field `score`", Body.Fail("""{"query":{"relevance_feedback":{"target":1,"feedback":[{"example":2}],"strategy":{"naive":{"a":1,"b":1,"c":1}}}}}""", e => QueryRequestReader.ReadQuery(e, "")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadQuery_Formula_EveryOperatorAndDefaults()
    {
        var request = Query("""
            {"prefetch":{"query":[1,2]},"query":{"formula":{"sum":[
               1.5, "$score[1]", {"key":"tag","match":{"value":"a"}}, {"mult":["price",{"neg":2}]},
               {"div":{"left":1,"right":"x","by_zero_default":3}}, {"pow":{"base":2,"exponent":{"abs":-1}}},
               {"sqrt":4}, {"exp":0}, {"log10":10}, {"ln":1}, {"geo_distance":{"origin":{"lon":1,"lat":2},"to":"loc"}},
               {"datetime":"2025-01-01"}, {"datetime_key":"t"}, {"must":[{"is_empty":{"key":"e"}}]},
               {"lin_decay":{"x":"x"}}, {"exp_decay":{"x":"x","target":1,"scale":2,"midpoint":0.3}}, {"gauss_decay":{"x":"x"}}]},
             "defaults":{"price":1,"$score[1]":0.5}}}
            """);

        var formula = Assert.IsType<FormulaQuery>(request.Query);
        Assert.Equal(PayloadValue.FromInteger(1), formula.Defaults["price"]);
        Assert.Equal(PayloadValue.FromDouble(0.5), formula.Defaults["$score[1]"]);
        var terms = Assert.IsType<SumExpression>(formula.Formula).Terms;
        Assert.Equal(new ConstantExpression(1.5f), terms[0]);
        Assert.Equal(new VariableExpression("$score[1]"), terms[1]);
        Assert.IsType<FieldCondition>(Assert.IsType<ConditionExpression>(terms[2]).Condition);
        Assert.Equal(new UnaryExpression(UnaryFunction.Neg, new ConstantExpression(2)), Assert.IsType<MultExpression>(terms[3]).Factors[1]);
        Assert.Equal(new DivExpression(new ConstantExpression(1), new VariableExpression("x"), 3f), terms[4]);
        Assert.Equal(new PowExpression(new ConstantExpression(2), new UnaryExpression(UnaryFunction.Abs, new ConstantExpression(-1))), terms[5]);
        Assert.Equal(
            [UnaryFunction.Sqrt, UnaryFunction.Exp, UnaryFunction.Log10, UnaryFunction.Ln],
            terms.Skip(6).Take(4).Select(t => Assert.IsType<UnaryExpression>(t).Function));
        Assert.Equal(new GeoDistanceExpression(new GeoPoint(1, 2), "loc"), terms[10]);
        Assert.Equal(new DatetimeExpression("2025-01-01"), terms[11]);
        Assert.Equal(new DatetimeKeyExpression("t"), terms[12]);
        Assert.IsType<FilterCondition>(Assert.IsType<ConditionExpression>(terms[13]).Condition);
        Assert.Equal(new DecayExpression(DecayKind.Lin, new VariableExpression("x"), null, null, null), terms[14]);
        Assert.Equal(new DecayExpression(DecayKind.Exp, new VariableExpression("x"), new ConstantExpression(1), 2f, 0.3f), terms[15]);
        Assert.Equal(DecayKind.Gauss, Assert.IsType<DecayExpression>(terms[16]).Kind);
    }

    [Fact]
    public void ReadQuery_NearestWithMmr_CarriesItsParams()
    {
        var mmr = Assert.IsType<NearestQuery>(Query("""{"query":{"nearest":[1,2],"mmr":{"diversity":0.3,"candidates_limit":50}}}""").Query);
        Assert.Equal(new MmrParams(0.3f, 50), mmr.Mmr);
        Assert.Equal(new MmrParams(), Assert.IsType<NearestQuery>(Query("""{"query":{"nearest":[1,2],"mmr":{}}}""").Query).Mmr);
        Assert.Null(Assert.IsType<NearestQuery>(Query("""{"query":{"nearest":[1,2],"mmr":null}}""").Query).Mmr);
        Assert.Contains("`mmr` goes with `nearest`", Body.Fail("""{"query":{"recommend":{"positive":[1]},"mmr":{}}}""", e => QueryRequestReader.ReadQuery(e, "")).Message);
        Assert.Contains("missing field `formula`", Body.Fail("""{"query":{"defaults":{"a":1}}}""", e => QueryRequestReader.ReadQuery(e, "")).Message);
        Assert.Contains("missing field `right`", Body.Fail("""{"query":{"formula":{"div":{"left":1}}}}""", e => QueryRequestReader.ReadQuery(e, "")).Message);
    }

    [Fact]
    public void ReadQuery_PrefetchTree_NestedBranchesWithTheirOwnFields()
    {
        var request = Query("""
            {"prefetch":[
               {"query":[1,2],"using":"dense","limit":20,"score_threshold":0.1,"filter":{"must":[{"has_id":[1]}]},"params":{"exact":true},
                "lookup_from":{"collection":"other"},"unknown":1},
               {"prefetch":{"query":{"nearest":3},"using":"b"},"query":{"rrf":{"k":60,"weights":[1,0.5]}}}],
             "query":{"fusion":"dbsf"},"limit":3}
            """);

        Assert.Equal(new FusionQuery(FusionMethod.Dbsf), request.Query);
        Assert.Equal(2, request.Prefetch!.Count);
        var first = request.Prefetch[0];
        Assert.Equal([1f, 2f], Assert.IsType<DenseVectorInput>(Assert.IsType<NearestQuery>(first.Query).Target).Vector);
        Assert.Equal(("dense", 20u, 0.1f, true, "other"), (first.Using, first.Limit, first.ScoreThreshold, first.Params!.Exact, first.LookupFrom!.Collection));
        Assert.NotNull(first.Filter);
        Assert.Empty(first.Prefetches);

        // A single branch object is a list of one; a branch without a limit gets the default.
        var second = request.Prefetch[1];
        var rrf = Assert.IsType<FusionQuery>(second.Query);
        Assert.Equal((FusionMethod.Rrf, 60u), (rrf.Method, rrf.K));
        Assert.Equal([1f, 0.5f], rrf.Weights!);
        Assert.Equal(RequestDefaults.PrefetchLimit, second.Limit);
        var nested = Assert.Single(second.Prefetches);
        Assert.Equal(("b", RequestDefaults.PrefetchLimit), (nested.Using, nested.Limit));

        Assert.Equal(new FusionQuery(FusionMethod.Rrf, RequestDefaults.RrfK), Query("""{"query":{"fusion":"rrf"}}""").Query);
        Assert.Equal(new FusionQuery(FusionMethod.Rrf, RequestDefaults.RrfK), Query("""{"query":{"rrf":{}}}""").Query);
        Assert.Empty(Query("""{"query":[1],"prefetch":null}""").Prefetch!);
    }

    [Theory]
    [InlineData("""{"prefetch":[{"limit":0}]}""", "Validation error in JSON body: [prefetch[0].limit: value 0 invalid, must be 1 or larger]")]
    [InlineData("""{"prefetch":{"prefetch":[{},{"limit":0}]}}""", "Validation error in JSON body: [prefetch[0].prefetch[1].limit: value 0 invalid, must be 1 or larger]")]
    [InlineData("""{"query":{"rrf":{"k":0}}}""", "Validation error in JSON body: [query.rrf.k: value 0 invalid, must be 1 or larger]")]
    [InlineData("""{"query":{"fusion":"max"}}""", "Format error in JSON body: unknown variant `max`, expected `rrf` or `dbsf` at query.fusion")]
    [InlineData("""{"prefetch":[1]}""", "Format error in JSON body: invalid type: integer `1`, expected a prefetch object at prefetch[0]")]
    public void ReadQuery_BadTree_NamesThePath(string json, string message) =>
        Assert.Equal(message, Body.Fail(json, e => QueryRequestReader.ReadQuery(e, "")).Message);

    [Fact]
    public void ReadQuery_LimitZero_ValidationError()
    {
        var error = Body.Fail("""{"limit":0}""", e => QueryRequestReader.ReadQuery(e, ""));
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("Validation error in JSON body: [limit: value 0 invalid, must be 1 or larger]", error.Message);
    }

    [Fact]
    public void ReadQuery_Acorn_IsCarriedToTheEngine()
    {
        Assert.Equal(new AcornSearchParams(true, 0.1), Query("""{"params":{"acorn":{"enable":true,"max_selectivity":0.1}}}""").Params!.Acorn);
        Assert.Equal(new AcornSearchParams(true, null), Query("""{"params":{"acorn":{"enable":true}}}""").Params!.Acorn);
        Assert.Equal(new AcornSearchParams(false, null), Search("""{"vector":[1,2],"limit":3,"params":{"acorn":{}}}""").Params!.Acorn);
        Assert.Null(Query("""{"params":{"hnsw_ef":5}}""").Params!.Acorn);
    }

    [Theory]
    [InlineData("1.5", "Validation error in JSON body: [params.acorn.max_selectivity: value 1.5 invalid, must be 1.0 or smaller]")]
    [InlineData("-0.5", "Validation error in JSON body: [params.acorn.max_selectivity: value -0.5 invalid, must be 0.0 or larger]")]
    public void ReadQuery_AcornSelectivityOutOfRange_ValidationError(string selectivity, string message)
    {
        var error = Body.Fail("{\"params\":{\"acorn\":{\"enable\":true,\"max_selectivity\":" + selectivity + "}}}", e => QueryRequestReader.ReadQuery(e, ""));
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ReadQuery_BadPointIdAsQuery_FormatError() =>
        Assert.Contains("value \"abc\" is not a valid point ID", Body.Fail("""{"query":"abc"}""", e => QueryRequestReader.ReadQuery(e, "")).Message);

    [Fact]
    public void ReadSearch_BareVector_TopAliasAndWithVectorsAlias()
    {
        var request = Search("""{"vector":[1,2],"top":5,"with_vectors":true,"with_payload":{"exclude":["secret"]},"filter":{"must":[{"has_id":[1]}]},"offset":1,"score_threshold":0.2}""");
        Assert.Equal([1f, 2f], Assert.IsType<DenseVectorInput>(Assert.IsType<NearestQuery>(request.Query).Target).Vector);
        Assert.Null(request.Using);
        Assert.Equal(5u, request.Limit);
        Assert.Equal(1u, request.Offset);
        Assert.True(request.WithVector.Enable);
        Assert.Equal(["secret"], request.WithPayload.Exclude!);
        Assert.IsType<HasIdCondition>(Assert.Single(request.Filter!.Must!));
        Assert.Equal(0.2f, request.ScoreThreshold);
    }

    [Fact]
    public void ReadSearch_NamedVector()
    {
        var request = Search("""{"vector":{"name":"img","vector":[1,2]},"limit":3}""");
        Assert.Equal("img", request.Using);
        Assert.Equal(3u, request.Limit);
    }

    [Fact]
    public void ReadSearch_Errors()
    {
        Assert.Equal("Format error in JSON body: missing field `limit`", Body.Fail("""{"vector":[1]}""", e => QueryRequestReader.ReadSearch(e, "")).Message);
        Assert.Equal("Format error in JSON body: missing field `vector`", Body.Fail("""{"limit":1}""", e => QueryRequestReader.ReadSearch(e, "")).Message);
        Assert.Equal("Format error in JSON body: missing field `values` at vector.vector",
            Body.Fail("""{"vector":{"name":"sp","vector":{"indices":[1]}},"limit":1}""", e => QueryRequestReader.ReadSearch(e, "")).Message);
    }

    [Fact]
    public void ReadSearch_NamedSparseVector()
    {
        var request = Body.Ok("""{"vector":{"name":"sp","vector":{"indices":[1,5],"values":[0.5,2]}},"limit":1}""", e => QueryRequestReader.ReadSearch(e, ""));

        Assert.Equal("sp", request.Using);
        var input = Assert.IsType<SparseVectorInput>(Assert.IsType<NearestQuery>(request.Query).Target);
        Assert.Equal(new SparseVector([1u, 5u], [0.5f, 2f]), input.Vector);
    }

    [Fact]
    public void ReadQuery_SparseVector_AndSparseRecommendExamples()
    {
        var nearest = Body.Ok("""{"query":{"indices":[3],"values":[1.5]},"using":"text"}""", e => QueryRequestReader.ReadQuery(e, ""));
        Assert.Equal(new SparseVector([3u], [1.5f]), Assert.IsType<SparseVectorInput>(Assert.IsType<NearestQuery>(nearest.Query).Target).Vector);

        var recommend = Body.Ok("""{"query":{"recommend":{"positive":[{"indices":[1],"values":[1]},7]}},"using":"text"}""", e => QueryRequestReader.ReadQuery(e, ""));
        var positive = Assert.IsType<RecommendQuery>(recommend.Query).Positive;
        Assert.IsType<SparseVectorInput>(positive[0]);
        Assert.IsType<PointIdInput>(positive[1]);
    }

    [Fact]
    public void ReadRecommend_IdsVectorsStrategyUsingLookup()
    {
        var request = Recommend("""
            {"positive":[1,"5c56c793-69f3-4fbf-87e6-c4bf54c28c26",[0.1,0.2]],"negative":[3],"strategy":"sum_scores","using":"img",
             "lookup_from":{"collection":"other"},"limit":4,"with_payload":true}
            """);
        var recommend = Assert.IsType<RecommendQuery>(request.Query);
        Assert.Equal(3, recommend.Positive.Count);
        Assert.IsType<DenseVectorInput>(recommend.Positive[2]);
        Assert.Equal(RecommendStrategy.SumScores, recommend.Strategy);
        Assert.Equal("img", request.Using);
        Assert.Equal(new LookupLocation("other", null), request.LookupFrom);
        Assert.Equal(4u, request.Limit);
        Assert.Equal(WithPayload.All, request.WithPayload);
    }

    [Fact]
    public void ReadRecommend_DefaultStrategyIsAverage_AndNeedsPositive()
    {
        Assert.Equal(RecommendStrategy.AverageVector, Assert.IsType<RecommendQuery>(Recommend("""{"positive":[1],"limit":1}""").Query).Strategy);
        Assert.Equal("Wrong input: At least one positive vector ID required",
            Body.Fail("""{"negative":[1],"limit":1}""", e => QueryRequestReader.ReadRecommend(e, "")).Message);
        Assert.Contains("unknown variant `best`", Body.Fail("""{"positive":[1],"strategy":"best","limit":1}""", e => QueryRequestReader.ReadRecommend(e, "")).Message);
    }

    [Fact]
    public void ReadBatch_PathsNameTheSearch()
    {
        var requests = Body.Ok("""{"searches":[{"vector":[1],"limit":1},{"vector":[2],"limit":2}]}""", e => QueryRequestReader.ReadBatch(e, QueryRequestReader.ReadSearch));
        Assert.Equal([1u, 2u], requests.Select(r => r.Limit));
        var error = Body.Fail("""{"searches":[{"vector":[1],"limit":1},{"vector":[2],"limit":0}]}""", e => QueryRequestReader.ReadBatch(e, QueryRequestReader.ReadSearch));
        Assert.Equal("Validation error in JSON body: [searches[1].limit: value 0 invalid, must be 1 or larger]", error.Message);
    }
}
