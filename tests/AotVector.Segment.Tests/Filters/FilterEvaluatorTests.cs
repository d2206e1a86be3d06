using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;

namespace AotVector.Segment.Tests.Filters;

public sealed class FilterEvaluatorTests
{
    private static bool Check(Condition condition, string json, PointId? id = null, string[]? vectors = null) =>
        new FilterEvaluator().Matches(new Filter(Must: [condition]), id ?? 1ul, Json.Obj(json), name => vectors?.Contains(name) ?? false);

    private static bool CheckFilter(Filter filter, string json) =>
        new FilterEvaluator().Matches(filter, 1ul, Json.Obj(json), _ => false);

    private static FieldCondition Value(string key, PayloadValue v) => new(key, Match: new MatchValue(v));

    private static FieldCondition Str(string key, string v) => Value(key, PayloadValue.FromString(v));

    private static FieldCondition Int(string key, long v) => Value(key, PayloadValue.FromInteger(v));

    // Combining clauses

    [Fact]
    public void Must_AllRequired()
    {
        var f = new Filter(Must: [Int("a", 1), Int("b", 2)]);
        Assert.True(CheckFilter(f, """{"a":1,"b":2}"""));
        Assert.False(CheckFilter(f, """{"a":1,"b":3}"""));
    }

    [Fact]
    public void Should_AnyRequired()
    {
        var f = new Filter(Should: [Int("a", 1), Int("b", 2)]);
        Assert.True(CheckFilter(f, """{"a":0,"b":2}"""));
        Assert.False(CheckFilter(f, """{"a":0,"b":0}"""));
    }

    [Fact]
    public void Should_EmptyList_MatchesNothing() => Assert.False(CheckFilter(new Filter(Should: []), """{"a":1}"""));

    [Fact]
    public void MustAndMustNot_EmptyLists_MatchEverything() => Assert.True(CheckFilter(new Filter(Must: [], MustNot: []), """{"a":1}"""));

    [Fact]
    public void EmptyFilter_MatchesEverything() => Assert.True(CheckFilter(new Filter(), "{}"));

    [Fact]
    public void MustNot_NoneAllowed()
    {
        var f = new Filter(MustNot: [Int("a", 1)]);
        Assert.False(CheckFilter(f, """{"a":1}"""));
        Assert.True(CheckFilter(f, """{"a":2}"""));
        Assert.True(CheckFilter(f, "{}"));
    }

    [Fact]
    public void MinShould_CountsMatches()
    {
        var f = new Filter(MinShould: new MinShould([Int("a", 1), Int("b", 2), Int("c", 3)], 2));
        Assert.True(CheckFilter(f, """{"a":1,"b":2,"c":0}"""));
        Assert.True(CheckFilter(f, """{"a":1,"b":2,"c":3}"""));
        Assert.False(CheckFilter(f, """{"a":1,"b":0,"c":0}"""));
    }

    [Fact]
    public void AllClauses_AreAnded()
    {
        var f = new Filter(Must: [Int("a", 1)], Should: [Int("b", 2)], MustNot: [Int("c", 3)]);
        Assert.True(CheckFilter(f, """{"a":1,"b":2,"c":0}"""));
        Assert.False(CheckFilter(f, """{"a":1,"b":0,"c":0}"""));
        Assert.False(CheckFilter(f, """{"a":1,"b":2,"c":3}"""));
    }

    [Fact]
    public void FilterCondition_NestsFilters()
    {
        var inner = new Filter(Should: [Int("a", 1), Int("a", 2)]);
        Assert.True(Check(new FilterCondition(inner), """{"a":2}"""));
        Assert.False(Check(new FilterCondition(inner), """{"a":3}"""));
    }

    // Arrays and strict types

    [Fact]
    public void MatchValue_ArrayAnyElement() => Assert.True(Check(Str("city", "London"), """{"city":["Berlin","London"]}"""));

    [Fact]
    public void MatchValue_IntegerDoesNotMatchString() => Assert.False(Check(Int("n", 1), """{"n":"1"}"""));

    [Fact]
    public void MatchValue_StringDoesNotMatchInteger() => Assert.False(Check(Str("n", "1"), """{"n":1}"""));

    [Fact]
    public void MatchValue_IntegerDoesNotMatchFloat() => Assert.False(Check(Int("n", 1), """{"n":1.0}"""));

    [Fact]
    public void MatchValue_Bool()
    {
        Assert.True(Check(Value("b", PayloadValue.True), """{"b":true}"""));
        Assert.False(Check(Value("b", PayloadValue.True), """{"b":"true"}"""));
        Assert.False(Check(Value("b", PayloadValue.True), """{"b":1}"""));
    }

    [Fact]
    public void MatchValue_NestedArrayNotFlattenedTwice() => Assert.False(Check(Int("n", 1), """{"n":[[1]]}"""));

    [Fact]
    public void MatchAny_Keywords()
    {
        var c = new FieldCondition("color", Match: new MatchAny(["red", "green"], null));
        Assert.True(Check(c, """{"color":"green"}"""));
        Assert.True(Check(c, """{"color":["blue","red"]}"""));
        Assert.False(Check(c, """{"color":"blue"}"""));
    }

    [Fact]
    public void MatchAny_Integers_StrictType()
    {
        var c = new FieldCondition("n", Match: new MatchAny(null, [1, 2]));
        Assert.True(Check(c, """{"n":2}"""));
        Assert.False(Check(c, """{"n":"2"}"""));
    }

    [Fact]
    public void MatchAny_Empty_MatchesNothing()
    {
        Assert.False(Check(new FieldCondition("a", Match: new MatchAny([], null)), """{"a":"x"}"""));
        Assert.False(Check(new FieldCondition("a", Match: new MatchAny(null, [])), """{"a":1}"""));
    }

    // except

    [Fact]
    public void MatchExcept_ValueNotInList_Matches() => Assert.True(Check(new FieldCondition("a", Match: new MatchExcept(["x", "y"], null)), """{"a":"z"}"""));

    [Fact]
    public void MatchExcept_ValueInList_DoesNotMatch() => Assert.False(Check(new FieldCondition("a", Match: new MatchExcept(["x", "y"], null)), """{"a":"x"}"""));

    [Fact]
    public void MatchExcept_Integers() => Assert.False(Check(new FieldCondition("a", Match: new MatchExcept(null, [1, 2])), """{"a":2}"""));

    [Fact]
    public void MatchExcept_Null_DoesNotMatch() => Assert.False(Check(new FieldCondition("a", Match: new MatchExcept(["x"], null)), """{"a":null}"""));

    [Theory]
    [InlineData("""{"a":1}""")]
    [InlineData("""{"a":true}""")]
    [InlineData("""{"a":2.5}""")]
    [InlineData("""{"a":{"b":"x"}}""")]
    public void MatchExcept_OtherType_Matches(string json) => Assert.True(Check(new FieldCondition("a", Match: new MatchExcept(["x"], null)), json));

    [Fact]
    public void MatchExcept_StringAgainstIntegerList_Matches() => Assert.True(Check(new FieldCondition("a", Match: new MatchExcept(null, [1])), """{"a":"1"}"""));

    [Fact]
    public void MatchExcept_Missing_DoesNotMatch() => Assert.False(Check(new FieldCondition("a", Match: new MatchExcept(["x"], null)), """{"b":"z"}"""));

    [Fact]
    public void MatchExcept_Array_AnyElementNotInList()
    {
        var c = new FieldCondition("a", Match: new MatchExcept(["x", "y"], null));
        Assert.True(Check(c, """{"a":["x","z"]}"""));
        Assert.False(Check(c, """{"a":["x","y"]}"""));
        Assert.False(Check(c, """{"a":[]}"""));
    }

    // Missing field rules

    [Fact]
    public void Missing_MatchAndRange_DoNotMatch()
    {
        Assert.False(Check(Str("a", "x"), "{}"));
        Assert.False(Check(new FieldCondition("a", Range: new RangeCondition(Gte: 0)), "{}"));
        Assert.False(Check(new FieldCondition("a", DatetimeRange: new DatetimeRange(Gte: DateTimeOffset.MinValue)), "{}"));
    }

    [Fact]
    public void Missing_ValuesCountCheckedAgainstZero()
    {
        Assert.True(Check(new FieldCondition("a", ValuesCount: new ValuesCount(Lt: 1)), "{}"));
        Assert.False(Check(new FieldCondition("a", ValuesCount: new ValuesCount(Gte: 1)), "{}"));
    }

    [Fact]
    public void Missing_IsEmptyTrue_Matches() => Assert.True(Check(new FieldCondition("a", IsEmpty: true), "{}"));

    [Fact]
    public void Missing_IsEmptyFalse_DoesNotMatch() => Assert.False(Check(new FieldCondition("a", IsEmpty: false), "{}"));

    [Fact]
    public void Missing_IsNullFalse_Matches() => Assert.True(Check(new FieldCondition("a", IsNull: false), "{}"));

    [Fact]
    public void Missing_IsNullTrue_DoesNotMatch() => Assert.False(Check(new FieldCondition("a", IsNull: true), "{}"));

    // is_empty / is_null

    [Theory]
    [InlineData("{}", true)]
    [InlineData("""{"a":null}""", true)]
    [InlineData("""{"a":[]}""", true)]
    [InlineData("""{"a":[null]}""", false)]
    [InlineData("""{"a":0}""", false)]
    [InlineData("""{"a":""}""", false)]
    [InlineData("""{"a":{}}""", false)]
    [InlineData("""{"a":[1]}""", false)]
    public void IsEmpty_Variants(string json, bool expected)
    {
        Assert.Equal(expected, Check(new IsEmptyCondition("a"), json));
        Assert.Equal(expected, Check(new FieldCondition("a", IsEmpty: true), json));
        Assert.Equal(!expected, Check(new FieldCondition("a", IsEmpty: false), json));
    }

    [Theory]
    [InlineData("{}", false)]
    [InlineData("""{"a":null}""", true)]
    [InlineData("""{"a":[1,null]}""", true)]
    [InlineData("""{"a":[]}""", false)]
    [InlineData("""{"a":0}""", false)]
    [InlineData("""{"a":"null"}""", false)]
    public void IsNull_Variants(string json, bool expected)
    {
        Assert.Equal(expected, Check(new IsNullCondition("a"), json));
        Assert.Equal(expected, Check(new FieldCondition("a", IsNull: true), json));
        Assert.Equal(!expected, Check(new FieldCondition("a", IsNull: false), json));
    }

    [Fact]
    public void IsEmpty_NestedPath() => Assert.True(Check(new IsEmptyCondition("a.b"), """{"a":{"c":1}}"""));

    // values_count

    [Theory]
    [InlineData("""{"a":[1,2,3]}""", 3ul)]
    [InlineData("""{"a":"x"}""", 1ul)]
    [InlineData("""{"a":{"k":1}}""", 1ul)]
    [InlineData("""{"a":null}""", 0ul)]
    [InlineData("""{"a":[]}""", 0ul)]
    [InlineData("{}", 0ul)]
    public void ValuesCount_Counts(string json, ulong count)
    {
        Assert.True(Check(new FieldCondition("a", ValuesCount: new ValuesCount(Gte: count, Lte: count)), json));
        Assert.False(Check(new FieldCondition("a", ValuesCount: new ValuesCount(Gt: count)), json));
        Assert.False(Check(new FieldCondition("a", ValuesCount: new ValuesCount(Lt: count)), json));
    }

    // range

    [Fact]
    public void Range_IntegersAndFloats()
    {
        var c = new FieldCondition("p", Range: new RangeCondition(Gte: 10, Lt: 100.5));
        Assert.True(Check(c, """{"p":10}"""));
        Assert.True(Check(c, """{"p":100.4}"""));
        Assert.False(Check(c, """{"p":100.5}"""));
        Assert.False(Check(c, """{"p":9.99}"""));
        Assert.True(Check(c, """{"p":[1,50]}"""));
    }

    [Fact]
    public void Range_OnlyNumbers() => Assert.False(Check(new FieldCondition("p", Range: new RangeCondition(Gte: 0)), """{"p":"5"}"""));

    [Fact]
    public void Range_BoundsInclusiveExclusive()
    {
        Assert.False(Check(new FieldCondition("p", Range: new RangeCondition(Gt: 5)), """{"p":5}"""));
        Assert.True(Check(new FieldCondition("p", Range: new RangeCondition(Lte: 5)), """{"p":5}"""));
    }

    // datetime

    [Theory]
    [InlineData("2024-01-02T03:04:05Z")]
    [InlineData("2024-01-02T03:04:05.000Z")]
    [InlineData("2024-01-02T05:04:05+02:00")]
    [InlineData("2024-01-02T05:04:05+0200")]
    [InlineData("2024-01-02 05:04:05.0+0200")]
    [InlineData("2024-01-02T03:04:05")]
    [InlineData("2024-01-02 03:04:05")]
    [InlineData("2024-01-01T22:04:05-05:00")]
    public void DatetimeRange_AcceptedFormats_SameInstant(string text)
    {
        var instant = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.True(Check(new FieldCondition("t", DatetimeRange: new DatetimeRange(Gte: instant, Lte: instant)), $$"""{"t":"{{text}}"}"""));
    }

    [Fact]
    public void DatetimeRange_MinuteAndDateOnlyForms()
    {
        var c = new FieldCondition("t", DatetimeRange: new DatetimeRange(Gte: new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), Lt: new DateTimeOffset(2024, 1, 2, 3, 5, 0, TimeSpan.Zero)));
        Assert.True(Check(c, """{"t":"2024-01-02 03:04"}"""));
        Assert.True(Check(c, """{"t":"2024-01-02"}"""));
        Assert.False(Check(c, """{"t":"2024-01-02 03:05"}"""));
    }

    [Theory]
    [InlineData("""{"t":"yesterday"}""")]
    [InlineData("""{"t":"2024-13-01"}""")]
    [InlineData("""{"t":"2024-02-30"}""")]
    [InlineData("""{"t":1704164645}""")]
    public void DatetimeRange_NonDatetimes_DoNotMatch(string json) =>
        Assert.False(Check(new FieldCondition("t", DatetimeRange: new DatetimeRange(Gte: DateTimeOffset.MinValue)), json));

    // text, phrase, text_any, prefix (no full-text index: substring)

    [Fact]
    public void MatchText_Substring()
    {
        Assert.True(Check(new FieldCondition("d", Match: new MatchText("cheap")), """{"d":"good and cheap"}"""));
        Assert.False(Check(new FieldCondition("d", Match: new MatchText("good cheap")), """{"d":"good and cheap"}"""));
        Assert.False(Check(new FieldCondition("d", Match: new MatchText("1")), """{"d":1}"""));
    }

    [Fact]
    public void MatchPhrase_Substring() => Assert.True(Check(new FieldCondition("d", Match: new MatchPhrase("and cheap")), """{"d":"good and cheap"}"""));

    [Fact]
    public void MatchTextAny_AnyToken()
    {
        Assert.True(Check(new FieldCondition("d", Match: new MatchTextAny("pricey cheap")), """{"d":"good and cheap"}"""));
        Assert.False(Check(new FieldCondition("d", Match: new MatchTextAny("pricey bad")), """{"d":"good and cheap"}"""));
    }

    [Fact]
    public void MatchPrefix_StartsWith()
    {
        Assert.True(Check(new FieldCondition("d", Match: new MatchPrefix("goo")), """{"d":"good"}"""));
        Assert.False(Check(new FieldCondition("d", Match: new MatchPrefix("Goo")), """{"d":"good"}"""));
        Assert.True(Check(new FieldCondition("d", Match: new MatchPrefix("bé")), """{"d":["x","béta"]}"""));
    }

    // nested and paths

    [Fact]
    public void Nested_SameElement()
    {
        var json = """{"diet":[{"food":"meat","likes":false},{"food":"fish","likes":true}]}""";
        var inner = new Filter(Must: [Str("food", "meat"), Value("likes", PayloadValue.True)]);
        Assert.False(Check(new NestedCondition("diet", inner), json));
        Assert.True(Check(new NestedCondition("diet", new Filter(Must: [Str("food", "fish"), Value("likes", PayloadValue.True)])), json));
    }

    [Fact]
    public void WildcardPath_IsNotSameElement()
    {
        var json = """{"diet":[{"food":"meat","likes":false},{"food":"fish","likes":true}]}""";
        var flat = new Filter(Must: [Str("diet[].food", "meat"), Value("diet[].likes", PayloadValue.True)]);
        Assert.True(CheckFilter(flat, json));
    }

    [Fact]
    public void Nested_MustNotInsideIsPerElement()
    {
        var json = """{"a":[{"x":1},{"x":2}]}""";
        Assert.True(Check(new NestedCondition("a", new Filter(MustNot: [Int("x", 1)])), json));
        Assert.False(Check(new NestedCondition("a", new Filter(MustNot: [new FieldCondition("x", Range: new RangeCondition(Gte: 0))])), json));
    }

    [Fact]
    public void Path_DotDoesNotFlattenArrays()
    {
        var json = """{"country":{"cities":[{"population":2000000},{"population":10}]}}""";
        Assert.False(Check(new FieldCondition("country.cities.population", Range: new RangeCondition(Gte: 1000000)), json));
        Assert.True(Check(new FieldCondition("country.cities[].population", Range: new RangeCondition(Gte: 1000000)), json));
    }

    [Fact]
    public void InvalidKey_FindsNothing_AndValidateRejects()
    {
        Assert.False(Check(Str("a b", "x"), """{"a b":"x"}"""));
        Assert.True(Check(Str("\"a b\"", "x"), """{"a b":"x"}"""));
        Assert.False(FilterEvaluator.Validate(new Filter(Should: [new NestedCondition("a", new Filter(Must: [Str("a..b", "x")]))])).IsOk);
        Assert.True(FilterEvaluator.Validate(new Filter(Must: [Str("a[].b", "x")])).IsOk);
    }

    // has_id, has_vector

    [Fact]
    public void HasId_NumbersAndUuids()
    {
        var uuid = Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
        var c = new HasIdCondition(new HashSet<PointId> { 1ul, uuid });
        Assert.True(Check(c, "{}", 1ul));
        Assert.True(Check(c, "{}", uuid));
        Assert.False(Check(c, "{}", 2ul));
    }

    [Fact]
    public void HasVector_ByName()
    {
        Assert.True(Check(new HasVectorCondition("image"), "{}", vectors: ["image"]));
        Assert.False(Check(new HasVectorCondition("text"), "{}", vectors: ["image"]));
        Assert.True(Check(new HasVectorCondition(""), "{}", vectors: [""]));
    }

    [Fact]
    public void FieldCondition_AllPartsMustHold()
    {
        var c = new FieldCondition("a", Match: new MatchValue(PayloadValue.FromInteger(5)), Range: new RangeCondition(Lt: 3));
        Assert.False(Check(c, """{"a":5}"""));
        Assert.True(Check(c, """{"a":[5,1]}"""));
    }

    [Fact]
    public void NullPayload_TreatedAsEmpty() =>
        Assert.True(new FilterEvaluator().Matches(new Filter(Must: [new IsEmptyCondition("a")]), 1ul, null, _ => false));

    // geo

    [Fact]
    public void GeoRadius_Haversine()
    {
        var berlin = new GeoPoint(13.4050, 52.5200);
        var c = new FieldCondition("loc", GeoRadius: new GeoRadius(berlin, 1000));
        Assert.True(Check(c, """{"loc":{"lon":13.41,"lat":52.52}}""")); // ~340 m
        Assert.False(Check(c, """{"loc":{"lon":13.45,"lat":52.52}}""")); // ~3 km
        Assert.True(Check(c, """{"loc":[{"lon":0,"lat":0},{"lon":13.405,"lat":52.521}]}"""));
        Assert.False(Check(c, """{"loc":"13.4,52.5"}"""));
    }

    [Fact]
    public void GeoRadius_KnownDistance()
    {
        // Berlin to Paris is about 878 km.
        var c = new FieldCondition("loc", GeoRadius: new GeoRadius(new GeoPoint(13.4050, 52.5200), 880_000));
        Assert.True(Check(c, """{"loc":{"lon":2.3522,"lat":48.8566}}"""));
        var tight = new FieldCondition("loc", GeoRadius: new GeoRadius(new GeoPoint(13.4050, 52.5200), 870_000));
        Assert.False(Check(tight, """{"loc":{"lon":2.3522,"lat":48.8566}}"""));
    }

    [Fact]
    public void GeoBoundingBox_Inside()
    {
        var c = new FieldCondition("loc", GeoBoundingBox: new GeoBoundingBox(new GeoPoint(13.0, 53.0), new GeoPoint(14.0, 52.0)));
        Assert.True(Check(c, """{"loc":{"lon":13.4,"lat":52.5}}"""));
        Assert.False(Check(c, """{"loc":{"lon":12.9,"lat":52.5}}"""));
        Assert.False(Check(c, """{"loc":{"lon":13.4,"lat":53.1}}"""));
    }

    [Fact]
    public void GeoBoundingBox_AcrossAntimeridian()
    {
        var c = new FieldCondition("loc", GeoBoundingBox: new GeoBoundingBox(new GeoPoint(170, 10), new GeoPoint(-170, -10)));
        Assert.True(Check(c, """{"loc":{"lon":179,"lat":0}}"""));
        Assert.True(Check(c, """{"loc":{"lon":-175,"lat":0}}"""));
        Assert.False(Check(c, """{"loc":{"lon":0,"lat":0}}"""));
    }

    [Fact]
    public void GeoPolygon_WithHole()
    {
        GeoPoint[] square = [new(0, 0), new(10, 0), new(10, 10), new(0, 10), new(0, 0)];
        GeoPoint[] hole = [new(4, 4), new(6, 4), new(6, 6), new(4, 6)];
        var c = new FieldCondition("loc", GeoPolygon: new GeoPolygon(square, [hole]));
        Assert.True(Check(c, """{"loc":{"lon":2,"lat":2}}"""));
        Assert.False(Check(c, """{"loc":{"lon":5,"lat":5}}"""));
        Assert.False(Check(c, """{"loc":{"lon":11,"lat":5}}"""));
    }
}
