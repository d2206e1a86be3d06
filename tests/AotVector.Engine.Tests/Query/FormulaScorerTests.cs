using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Tests.Query;

/// <summary>
/// The formula evaluator, one function at a time, with the reference's defaults and error words: branch scores and
/// their defaults, payload variables (arrays of one, missing values, defaults, wrong types), conditions, geo distance,
/// datetimes, the shortcuts of products and quotients, each non-finite error and the decay functions.
/// </summary>
public sealed class FormulaScorerTests
{
    private static readonly PointId s_id = PointId.FromNum(7);

    private static readonly Payload s_payload = new()
    {
        ["number"] = PayloadValue.FromDouble(85.0),
        ["int"] = PayloadValue.FromInteger(3),
        ["one"] = PayloadValue.FromArray([PayloadValue.FromDouble(1.2)]),
        ["two"] = PayloadValue.FromArray([PayloadValue.FromDouble(1.2), PayloadValue.FromDouble(2.3)]),
        ["text"] = PayloadValue.FromString("abc"),
        ["geo"] = PayloadValue.FromObject(new Payload { ["lat"] = PayloadValue.FromDouble(25.628482424190565), ["lon"] = PayloadValue.FromDouble(-100.23881855976) }),
        ["when"] = PayloadValue.FromString("2025-03-19T12:00:00Z"),
        ["nested"] = PayloadValue.FromObject(new Payload { ["x"] = PayloadValue.FromInteger(4) }),
    };

    [Theory]
    [InlineData(5.0f, 5.0)]
    [InlineData(-0.5f, -0.5)]
    public void Constant_IsItsValue(float constant, double expected) =>
        Assert.Equal(expected, Eval(new ConstantExpression(constant)), 6);

    [Fact]
    public void Score_ReadsEachBranch_ThenItsDefault_ThenZero()
    {
        Assert.Equal(1.0, Eval(Var("$score")));
        Assert.Equal(1.0, Eval(Var("$score[0]")));
        Assert.Equal(2.0, Eval(Var("$score[1]")));
        Assert.Equal(1.5, Eval(Var("$score[3]"), ("$score[3]", PayloadValue.FromDouble(1.5))));
        Assert.Equal(0.0, Eval(Var("$score[10]")));
    }

    [Fact]
    public void PayloadVariable_ReadsNumbers_ArraysOfOne_NestedPaths_AndDefaults()
    {
        Assert.Equal(85.0, Eval(Var("number")));
        Assert.Equal(3.0, Eval(Var("int")));
        Assert.Equal(1.2, Eval(Var("one")), 6);
        Assert.Equal(4.0, Eval(Var("nested.x")));
        Assert.Equal(9.0, Eval(Var("missing"), ("missing", PayloadValue.FromInteger(9))));

        // A value in the payload wins over the default.
        Assert.Equal(85.0, Eval(Var("number"), ("number", PayloadValue.FromInteger(1))));
    }

    [Fact]
    public void PayloadVariable_Missing_OrNotANumber_IsAnError()
    {
        Assert.Equal(
            "Wrong input: Expected number value for missing in the payload and/or in the formula defaults. Error: No value found in a payload nor defaults",
            Error(Var("missing")).Message);
        Assert.Equal(
            "Wrong input: Expected number value for two in the payload and/or in the formula defaults. Error: Value is not a number",
            Error(Var("two")).Message);
        Assert.EndsWith("Error: Value is not a number", Error(Var("text")).Message);
        Assert.Equal(ErrorKind.BadRequest, Error(Var("text")).Kind);
    }

    [Fact]
    public void Condition_IsOneOrZero()
    {
        var met = new ConditionExpression(new FieldCondition("int", Match: new MatchValue(PayloadValue.FromInteger(3))));
        var sum = new SumExpression([met, met]);
        Assert.Equal(2.0, Eval(sum, conditions: [true, true]));
        Assert.Equal(0.0, Eval(sum, conditions: [false, false]));
    }

    [Fact]
    public void GeoDistance_IsHaversineMeters_AndUsesADefault()
    {
        var origin = new GeoPoint(-100.43383200156751, 25.717877679163667);
        Assert.Equal((float)21926.494151786308, (float)Eval(new GeoDistanceExpression(origin, "geo")));

        var fallback = PayloadValue.FromObject(new Payload { ["lat"] = PayloadValue.FromDouble(25.0), ["lon"] = PayloadValue.FromDouble(-100.0) });
        Assert.Equal((float)90951.29600298218, (float)Eval(new GeoDistanceExpression(origin, "nowhere"), ("nowhere", fallback)));
        Assert.StartsWith("Wrong input: Expected geo point value for number", Error(new GeoDistanceExpression(origin, "number")).Message);
    }

    [Fact]
    public void Datetime_IsSecondsSinceTheEpoch()
    {
        var march18 = new DateTimeOffset(2025, 3, 18, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal((float)march18, Eval(new DatetimeExpression("2025-03-18")));
        Assert.Equal((float)(march18 + 86_400 + 43_200), Eval(new DatetimeKeyExpression("when")));
        Assert.Equal((float)(march18 + 86_400), Eval(new DatetimeKeyExpression("gone"), ("gone", PayloadValue.FromString("2025-03-19"))));
        Assert.EndsWith("Error: Value is not a string", Error(new DatetimeKeyExpression("number")).Message);
        Assert.Equal(
            "Wrong input: Expected datetime value for gone in the payload and/or in the formula defaults. Error: No value found in a payload nor defaults",
            Error(new DatetimeKeyExpression("gone")).Message);
    }

    [Fact]
    public void Arithmetic_SumMultDivNegAbsSqrtPowExpLogs()
    {
        Assert.Equal(1 + 1 + 85 + 3, Eval(new SumExpression([C(1), Var("$score"), Var("number"), Var("int")])));
        Assert.Equal(2 * 1 * 85, Eval(new MultExpression([C(2), Var("$score"), Var("number")])));
        Assert.Equal(10.0 / 4, Eval(new DivExpression(C(10), C(4), null)));
        Assert.Equal(-10.0, Eval(new UnaryExpression(UnaryFunction.Neg, C(10))));
        Assert.Equal(3.0, Eval(new UnaryExpression(UnaryFunction.Abs, C(-3))));
        Assert.Equal(3.0, Eval(new UnaryExpression(UnaryFunction.Sqrt, C(9))));
        Assert.Equal(8.0, Eval(new PowExpression(C(2), C(3))));
        Assert.Equal(Math.E, Eval(new UnaryExpression(UnaryFunction.Exp, C(1))), 6);
        Assert.Equal(2.0, Eval(new UnaryExpression(UnaryFunction.Log10, C(100))), 6);
        Assert.Equal(1.0, Eval(new UnaryExpression(UnaryFunction.Ln, new UnaryExpression(UnaryFunction.Exp, C(1)))), 6);
        Assert.Equal(0.0, Eval(new SumExpression([])));
        Assert.Equal(1.0, Eval(new MultExpression([])));
    }

    [Fact]
    public void ZeroFactor_AndZeroDividend_StopBeforeTheErrorsAfterThem()
    {
        // The missing variable after the zero is never read, as in the reference.
        Assert.Equal(0.0, Eval(new MultExpression([C(0), Var("missing")])));
        Assert.Equal(0.0, Eval(new DivExpression(C(0), Var("missing"), null)));
        Assert.Equal(0.0, Eval(new DivExpression(C(0), C(0), null)));
    }

    [Fact]
    public void DivisionByZero_GivesTheDefault_OrAnError()
    {
        Assert.Equal(7.0, Eval(new DivExpression(C(1), C(0), 7f)));
        Assert.Equal("Wrong input: The expression 1/0 = inf produced a non-finite number", Error(new DivExpression(C(1), C(0), null)).Message);
    }

    [Fact]
    public void NonFiniteSteps_AreErrorsNamingTheStep()
    {
        Assert.Equal("Wrong input: The expression -1^0.4000000059604645 = NaN produced a non-finite number", Error(new PowExpression(C(-1), C(0.4f))).Message);
        Assert.Equal("Wrong input: The expression √-3 = NaN produced a non-finite number", Error(new UnaryExpression(UnaryFunction.Sqrt, C(-3))).Message);
        Assert.Equal("Wrong input: The expression log10(0) = -inf produced a non-finite number", Error(new UnaryExpression(UnaryFunction.Log10, C(0))).Message);
        Assert.Equal("Wrong input: The expression ln(0) = -inf produced a non-finite number", Error(new UnaryExpression(UnaryFunction.Ln, C(0))).Message);
        Assert.Equal("Wrong input: The expression exp(1000) = inf produced a non-finite number", Error(new UnaryExpression(UnaryFunction.Exp, C(1000))).Message);

        // Finite as a double but not as the float a score is.
        Assert.Equal("Wrong input: The expression 1E+300 as f32 = inf produced a non-finite number", Error(new PowExpression(C(10), C(300))).Message);
    }

    [Theory]
    [InlineData(DecayKind.Lin, 0.0, 1.0)]
    [InlineData(DecayKind.Lin, 1.0, 0.5)]
    [InlineData(DecayKind.Lin, -2.0, 0.0)]
    [InlineData(DecayKind.Exp, 1.0, 0.5)]
    [InlineData(DecayKind.Exp, 2.0, 0.25)]
    [InlineData(DecayKind.Gauss, -1.0, 0.5)]
    [InlineData(DecayKind.Gauss, 2.0, 0.0625)]
    public void Decay_WithDefaults_IsOneAtTheTarget_AndTheMidpointAtOneScale(DecayKind kind, double x, double expected) =>
        Assert.Equal(expected, Eval(new DecayExpression(kind, C((float)x), null, null, null)), 6);

    [Fact]
    public void Decay_TargetScaleAndMidpoint_ShapeIt()
    {
        // At |x - target| = scale the value is the midpoint, whatever the kind.
        foreach (var kind in new[] { DecayKind.Lin, DecayKind.Exp, DecayKind.Gauss })
        {
            Assert.Equal(0.2, Eval(new DecayExpression(kind, C(15), C(5), 10f, 0.2f)), 6);
            Assert.Equal(1.0, Eval(new DecayExpression(kind, Var("number"), C(85), 10f, 0.2f)), 6);
        }
    }

    [Theory]
    [InlineData(DecayKind.Lin, 1.5f, null, "Linear decay midpoint should be in the range [0.0, 1.0], got 1.5.")]
    [InlineData(DecayKind.Exp, 1f, null, "Decay midpoint should be in the range (0.0, 1.0), got 1.")]
    [InlineData(DecayKind.Gauss, 0f, null, "Decay midpoint should be in the range (0.0, 1.0), got 0.")]
    [InlineData(DecayKind.Lin, null, 0f, "Decay scale should be non-zero positive, got 0.")]
    [InlineData(DecayKind.Exp, 0.5f, -2f, "Decay scale should be non-zero positive, got -2.")]
    public void Decay_BadParams_AreRefusedBeforeRunning(DecayKind kind, float? midpoint, float? scale, string message)
    {
        var parsed = FormulaParser.Parse(new FormulaQuery(new DecayExpression(kind, C(1), null, scale, midpoint), new Dictionary<string, PayloadValue>()));
        Assert.False(parsed.IsOk);
        Assert.Equal("Wrong input: Validation failed: " + message, parsed.Error.Message);
    }

    [Theory]
    [InlineData("$score.x", "Invalid reserved variable: $score.x")]
    [InlineData("$score[1][2]", "Invalid reserved variable: $score[1][2]")]
    [InlineData("$score[]", "Invalid reserved variable: $score[]")]
    [InlineData("$invalid", "Invalid reserved word: $invalid")]
    [InlineData("", "Invalid payload variable: ")]
    [InlineData("a..b", "Invalid payload variable: a..b")]
    public void Variables_TheReferenceRefuses_AreRefused(string name, string problem)
    {
        var parsed = FormulaParser.Parse(new FormulaQuery(Var(name), new Dictionary<string, PayloadValue>()));
        Assert.False(parsed.IsOk);
        Assert.Equal($"Wrong input: Validation failed: failed to parse variable ID {name}: {problem}", parsed.Error.Message);
    }

    [Fact]
    public void Defaults_AreCheckedLikeVariables()
    {
        var badKey = FormulaParser.Parse(new FormulaQuery(C(1), new Dictionary<string, PayloadValue> { ["$nope"] = PayloadValue.FromInteger(1) }));
        Assert.Equal("Wrong input: Validation failed: failed to parse variable ID $nope: Invalid reserved word: $nope", badKey.Error.Message);

        var textScore = FormulaParser.Parse(new FormulaQuery(C(1), new Dictionary<string, PayloadValue> { ["$score"] = PayloadValue.FromString("x") }));
        Assert.Equal("Validation error in JSON body: [defaults: Score default must be a number]", textScore.Error.Message);
    }

    [Fact]
    public void BadDatetimeConstant_IsRefusedBeforeRunning()
    {
        var parsed = FormulaParser.Parse(new FormulaQuery(new DatetimeExpression("yesterday"), new Dictionary<string, PayloadValue>()));
        Assert.StartsWith("Wrong input: Validation failed: failed to parse date-time yesterday", parsed.Error.Message);
    }

    [Fact]
    public void Parse_CollectsConditionsInOrder_AndNotesPayloadReads()
    {
        var a = new FieldCondition("a", Match: new MatchValue(PayloadValue.FromInteger(1)));
        var b = new IsEmptyCondition("b");
        var parsed = FormulaParser.Parse(new FormulaQuery(new SumExpression([new ConditionExpression(a), new MultExpression([new ConditionExpression(b), Var("$score")])]), new Dictionary<string, PayloadValue>()));
        Assert.True(parsed.IsOk);
        Assert.Equal(new Condition[] { a, b }, parsed.Value!.Conditions);
        Assert.False(parsed.Value.ReadsPayload);
        Assert.True(FormulaParser.Parse(new FormulaQuery(Var("x"), new Dictionary<string, PayloadValue>())).Value!.ReadsPayload);
    }

    private static ConstantExpression C(float value) => new(value);

    private static VariableExpression Var(string name) => new(name);

    private static Result<float> Run(FormulaExpression expression, (string Key, PayloadValue Value)[] defaults, bool[]? conditions)
    {
        var parsed = FormulaParser.Parse(new FormulaQuery(expression, defaults.ToDictionary(d => d.Key, d => d.Value)));
        Assert.True(parsed.IsOk, parsed.IsOk ? null : parsed.Error.Message);
        var scores = new List<IReadOnlyDictionary<PointId, float>>
        {
            new Dictionary<PointId, float> { [s_id] = 1f },
            new Dictionary<PointId, float> { [s_id] = 2f },
        };
        var flags = conditions ?? new bool[parsed.Value!.Conditions.Count];
        return new FormulaScorer(parsed.Value!, scores).Score(new FormulaPoint(s_id, s_payload, flags));
    }

    private static double Eval(FormulaExpression expression, params (string Key, PayloadValue Value)[] defaults) => Eval(expression, defaults, null);

    private static double Eval(FormulaExpression expression, bool[] conditions) => Eval(expression, [], conditions);

    private static double Eval(FormulaExpression expression, (string Key, PayloadValue Value)[] defaults, bool[]? conditions)
    {
        var r = Run(expression, defaults, conditions);
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        return r.Value;
    }

    private static AvError Error(FormulaExpression expression)
    {
        var r = Run(expression, [], null);
        Assert.False(r.IsOk);
        return r.Error;
    }
}
