using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class FilterReaderTests
{
    private static Filter Read(string json) => Body.Ok(json, e => FilterReader.Read(e, "filter"));

    private static AvError Fail(string json) => Body.Fail(json, e => FilterReader.Read(e, "filter"));

    private static FieldCondition Field(string conditionJson) =>
        Assert.IsType<FieldCondition>(Assert.Single(Read("{\"must\":[" + conditionJson + "]}").Must!));

    [Fact]
    public void Read_EmptyObject_NoClauses()
    {
        var filter = Read("{}");
        Assert.Null(filter.Must);
        Assert.Null(filter.Should);
        Assert.Null(filter.MustNot);
        Assert.Null(filter.MinShould);
    }

    [Fact]
    public void Read_SingleConditionInsteadOfArray_IsOneElementClause()
    {
        var filter = Read("""{"must":{"key":"city","match":{"value":"London"}},"should":{"has_vector":"img"},"must_not":{"is_empty":{"key":"x"}}}""");
        Assert.Single(filter.Must!);
        Assert.IsType<HasVectorCondition>(Assert.Single(filter.Should!));
        Assert.IsType<IsEmptyCondition>(Assert.Single(filter.MustNot!));
    }

    [Fact]
    public void Read_EmptyShouldArray_KeptAsEmptyList()
    {
        var filter = Read("""{"should":[]}""");
        Assert.NotNull(filter.Should);
        Assert.Empty(filter.Should);
    }

    [Fact]
    public void Read_MatchValue_StringIntegerBool()
    {
        Assert.Equal(PayloadValue.FromString("London"), Assert.IsType<MatchValue>(Field("""{"key":"city","match":{"value":"London"}}""").Match).Value);
        Assert.Equal(PayloadValue.FromInteger(-5), Assert.IsType<MatchValue>(Field("""{"key":"n","match":{"value":-5}}""").Match).Value);
        Assert.Equal(PayloadValue.True, Assert.IsType<MatchValue>(Field("""{"key":"b","match":{"value":true}}""").Match).Value);
    }

    [Fact]
    public void Read_MatchValueFloat_FormatError()
    {
        var error = Fail("""{"must":[{"key":"n","match":{"value":1.5}}]}""");
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.StartsWith("Format error in JSON body: invalid type: floating point `1.5`", error.Message);
        Assert.EndsWith("at filter.must[0].match.value", error.Message);
    }

    [Fact]
    public void Read_MatchAnyAndExcept_KeywordsOrIntegers()
    {
        var any = Assert.IsType<MatchAny>(Field("""{"key":"color","match":{"any":["red","green"]}}""").Match);
        Assert.Equal(["red", "green"], any.Keywords!);
        Assert.Null(any.Integers);

        var except = Assert.IsType<MatchExcept>(Field("""{"key":"n","match":{"except":[1,2,3]}}""").Match);
        Assert.Equal([1L, 2L, 3L], except.Integers!);
        Assert.Null(except.Keywords);

        var empty = Assert.IsType<MatchAny>(Field("""{"key":"c","match":{"any":[]}}""").Match);
        Assert.Empty(empty.Keywords!);
    }

    [Fact]
    public void Read_MatchAnyMixedTypes_FormatError()
    {
        var error = Fail("""{"must":[{"key":"c","match":{"any":["a",1]}}]}""");
        Assert.Contains("expected all strings or all integers", error.Message);
        Assert.Contains("filter.must[0].match.any[1]", error.Message);
    }

    [Fact]
    public void Read_MatchTextKinds()
    {
        Assert.Equal("good cheap", Assert.IsType<MatchText>(Field("""{"key":"d","match":{"text":"good cheap"}}""").Match).Text);
        Assert.Equal("a b", Assert.IsType<MatchTextAny>(Field("""{"key":"d","match":{"text_any":"a b"}}""").Match).Text);
        Assert.Equal("a b", Assert.IsType<MatchPhrase>(Field("""{"key":"d","match":{"phrase":"a b"}}""").Match).Text);
        Assert.Equal("ab", Assert.IsType<MatchPrefix>(Field("""{"key":"d","match":{"prefix":"ab"}}""").Match).Prefix);
    }

    [Fact]
    public void Read_MatchUnknownOrTwoKinds_FormatError()
    {
        Assert.Contains("unknown field `keyword`", Fail("""{"must":[{"key":"d","match":{"keyword":"x"}}]}""").Message);
        Assert.Contains("exactly one of", Fail("""{"must":[{"key":"d","match":{"value":"x","text":"y"}}]}""").Message);
        Assert.Contains("needs one of", Fail("""{"must":[{"key":"d","match":{}}]}""").Message);
    }

    [Fact]
    public void Read_NumericRange()
    {
        var range = Field("""{"key":"price","range":{"gte":10,"lt":100.5}}""").Range;
        Assert.Equal(new RangeCondition(Gte: 10, Lt: 100.5), range);
    }

    [Fact]
    public void Read_EmptyRange_IsNumericWithNoBounds()
    {
        var condition = Field("""{"key":"price","range":{}}""");
        Assert.Equal(new RangeCondition(), condition.Range);
        Assert.Null(condition.DatetimeRange);
    }

    [Fact]
    public void Read_DatetimeRange()
    {
        var condition = Field("""{"key":"ts","range":{"gt":"2024-01-01T00:00:00Z","lte":"2024-02-01 10:30"}}""");
        Assert.Null(condition.Range);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), condition.DatetimeRange!.Gt);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 10, 30, 0, TimeSpan.Zero), condition.DatetimeRange.Lte);
    }

    [Fact]
    public void Read_RangeErrors()
    {
        Assert.Contains("not both", Fail("""{"must":[{"key":"a","range":{"gt":1,"lt":"2024-01-01"}}]}""").Message);
        Assert.Contains("invalid datetime \"yesterday\"", Fail("""{"must":[{"key":"a","range":{"gt":"yesterday"}}]}""").Message);
        Assert.Contains("unknown field `from`", Fail("""{"must":[{"key":"a","range":{"from":1}}]}""").Message);
        Assert.Contains("invalid type: boolean `true`", Fail("""{"must":[{"key":"a","range":{"gt":true}}]}""").Message);
    }

    [Fact]
    public void Read_ValuesCount()
    {
        Assert.Equal(new ValuesCount(Gte: 2, Lt: 5), Field("""{"key":"tags","values_count":{"gte":2,"lt":5}}""").ValuesCount);
        Assert.Contains("expected u64", Fail("""{"must":[{"key":"tags","values_count":{"gte":-1}}]}""").Message);
    }

    [Fact]
    public void Read_GeoConditions()
    {
        var radius = Field("""{"key":"loc","geo_radius":{"center":{"lon":13.40,"lat":52.52},"radius":1000.0}}""").GeoRadius!;
        Assert.Equal(new GeoPoint(13.40, 52.52), radius.Center);
        Assert.Equal(1000.0, radius.Radius);

        var box = Field("""{"key":"loc","geo_bounding_box":{"top_left":{"lon":1,"lat":2},"bottom_right":{"lon":3,"lat":1}}}""").GeoBoundingBox!;
        Assert.Equal(new GeoPoint(1, 2), box.TopLeft);
        Assert.Equal(new GeoPoint(3, 1), box.BottomRight);

        var polygon = Field("""
            {"key":"loc","geo_polygon":{"exterior":{"points":[{"lon":0,"lat":0},{"lon":1,"lat":0},{"lon":1,"lat":1},{"lon":0,"lat":0}]},
             "interiors":[{"points":[{"lon":0.1,"lat":0.1},{"lon":0.2,"lat":0.1},{"lon":0.2,"lat":0.2},{"lon":0.1,"lat":0.1}]}]}}
            """).GeoPolygon!;
        Assert.Equal(4, polygon.Exterior.Count);
        Assert.Single(polygon.Interiors!);
    }

    [Fact]
    public void Read_GeoErrors()
    {
        Assert.Contains("lon", Fail("""{"must":[{"key":"l","geo_radius":{"center":{"lon":200,"lat":0},"radius":1}}]}""").Message);
        Assert.Contains("missing field `radius`", Fail("""{"must":[{"key":"l","geo_radius":{"center":{"lon":1,"lat":0}}}]}""").Message);
        var open = Fail("""{"must":[{"key":"l","geo_polygon":{"exterior":{"points":[{"lon":0,"lat":0},{"lon":1,"lat":0},{"lon":1,"lat":1},{"lon":0,"lat":1}]}}}]}""");
        Assert.Equal(ErrorKind.Validation, open.Kind);
        Assert.Contains("closed line", open.Message);
        Assert.Equal(ErrorKind.Validation, Fail("""{"must":[{"key":"l","geo_polygon":{"exterior":{"points":[{"lon":0,"lat":0},{"lon":0,"lat":0}]}}}]}""").Kind);
    }

    [Fact]
    public void Read_IsEmptyIsNull_AsConditionsAndAsFieldFlags()
    {
        var filter = Read("""{"must":[{"is_empty":{"key":"reports"}},{"is_null":{"key":"owner"}},{"key":"a","is_empty":false},{"key":"b","is_null":true}]}""");
        Assert.Equal("reports", Assert.IsType<IsEmptyCondition>(filter.Must![0]).Key);
        Assert.Equal("owner", Assert.IsType<IsNullCondition>(filter.Must[1]).Key);
        Assert.False(Assert.IsType<FieldCondition>(filter.Must[2]).IsEmpty);
        Assert.True(Assert.IsType<FieldCondition>(filter.Must[3]).IsNull);
    }

    [Fact]
    public void Read_HasIdHasVector()
    {
        var filter = Read("""{"must":[{"has_id":[1,"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"]},{"has_vector":"image"}]}""");
        var ids = Assert.IsType<HasIdCondition>(filter.Must![0]).Ids;
        Assert.Contains(PointId.FromNum(1), ids);
        Assert.Contains(PointId.FromUuid(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26")), ids);
        Assert.Equal("image", Assert.IsType<HasVectorCondition>(filter.Must[1]).VectorName);
    }

    [Fact]
    public void Read_HasIdBadId_PointIdError()
    {
        var error = Fail("""{"must":[{"has_id":[-1]}]}""");
        Assert.Contains("value -1 is not a valid point ID, valid values are either an unsigned integer or a UUID", error.Message);
    }

    [Fact]
    public void Read_Nested()
    {
        var nested = Assert.IsType<NestedCondition>(Assert.Single(Read("""
            {"must":[{"nested":{"key":"diet","filter":{"must":[{"key":"food","match":{"value":"meat"}},{"key":"likes","match":{"value":true}}]}}}]}
            """).Must!));
        Assert.Equal("diet", nested.Key);
        Assert.Equal(2, nested.Filter.Must!.Count);
    }

    [Fact]
    public void Read_FilterAsCondition_AndMinShould()
    {
        var filter = Read("""
            {"must":[{"should":[{"key":"a","match":{"value":1}}]}],
             "min_should":{"conditions":[{"key":"a","match":{"value":1}},{"key":"b","match":{"value":2}},{"key":"c","match":{"value":3}}],"min_count":2}}
            """);
        var inner = Assert.IsType<FilterCondition>(Assert.Single(filter.Must!));
        Assert.Single(inner.Filter.Should!);
        Assert.Equal(3, filter.MinShould!.Conditions.Count);
        Assert.Equal(2, filter.MinShould.MinCount);
    }

    [Fact]
    public void Read_UnknownFilterKey_FormatError()
    {
        var error = Fail("""{"must":[],"mus_not":[]}""");
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal("Format error in JSON body: unknown field `mus_not`, expected one of `should`, `min_should`, `must`, `must_not` at filter", error.Message);
    }

    [Fact]
    public void Read_UnknownFieldConditionKey_FormatError()
    {
        Assert.Contains("unknown field `matches`", Fail("""{"must":[{"key":"a","matches":{"value":1}}]}""").Message);
    }

    [Fact]
    public void Read_UnknownConditionKind_FormatError()
    {
        Assert.Contains("unknown condition `foo`", Fail("""{"must":[{"foo":1}]}""").Message);
        Assert.Contains("takes no other fields", Fail("""{"must":[{"has_id":[1],"extra":2}]}""").Message);
    }

    [Fact]
    public void Read_FieldConditionWithoutParts_ValidationError()
    {
        var error = Fail("""{"must":[{"key":"a"}]}""");
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("Validation error in JSON body: [filter.must[0]: At least one field condition must be specified]", error.Message);
    }

    [Fact]
    public void Read_WrongClauseType_FormatError()
    {
        Assert.Contains("invalid type: string \"x\", expected a condition or a list of conditions", Fail("""{"must":"x"}""").Message);
        Assert.Contains("expected a filter object", Fail("""[1]""").Message);
    }

    [Fact]
    public void Read_SliceCondition_ReadAndChecked()
    {
        Assert.Equal(new SliceCondition(1, 3), Assert.Single(Read("""{"must":[{"slice":{"index":1,"total":3}}]}""").Must!));
        var pastTotal = Fail("""{"must":[{"slice":{"index":2,"total":2}}]}""");
        Assert.Equal((ErrorKind.Validation, "Validation error in JSON body: [filter.must[0].slice: Slice index must be less than the total number of slices]"), (pastTotal.Kind, pastTotal.Message));
        Assert.Equal(ErrorKind.BadRequest, Fail("""{"must":[{"slice":{"index":0,"total":0}}]}""").Kind);
        Assert.Contains("Slice total must be greater than 0", Fail("""{"must":[{"slice":{"index":0,"total":0}}]}""").Message);
        Assert.Contains("missing field `index`", Fail("""{"must":[{"slice":{"total":2}}]}""").Message);
        Assert.Contains("invalid value", Fail("""{"must":[{"slice":{"index":0,"total":-1}}]}""").Message);
    }

    [Fact]
    public void Read_DeepNestedPathKey_Kept()
    {
        Assert.Equal("country.cities[].population", Field("""{"key":"country.cities[].population","range":{"gte":1000000}}""").Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a[x]")]
    public void Read_InvalidKeyPath_FormatError(string key)
    {
        var error = Fail("{\"must\":[{\"key\":\"" + key + "\",\"match\":{\"value\":1}}]}");
        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.StartsWith("Format error in JSON body: Invalid JSON path", error.Message);
        Assert.EndsWith("at filter.must[0].key", error.Message);
    }
}
