using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Protocol.Grpc.Mapping;
using Google.Protobuf.WellKnownTypes;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Mapping;

public sealed class FilterMappingTests
{
    [Fact]
    public void ToEngine_Null_IsNull()
    {
        Assert.Null(FilterMapping.ToEngine((Wire.Filter?)null).Value);
    }

    [Fact]
    public void ToEngine_EmptyClauses_MeanNoConstraint()
    {
        var filter = FilterMapping.ToEngine(new Wire.Filter()).Value!;

        Assert.Null(filter.Must);
        Assert.Null(filter.Should);
        Assert.Null(filter.MustNot);
        Assert.Null(filter.MinShould);
    }

    [Fact]
    public void ToEngine_Clauses_KeepTheirPlaces()
    {
        var wire = new Wire.Filter();
        wire.Must.Add(Field("a", new Wire.Match { Keyword = "x" }));
        wire.Should.Add(Field("b", new Wire.Match { Integer = 1 }));
        wire.MustNot.Add(Field("c", new Wire.Match { Boolean = true }));
        wire.MinShould = new Wire.MinShould { MinCount = 2 };
        wire.MinShould.Conditions.Add(Field("d", new Wire.Match { Keyword = "y" }));

        var filter = FilterMapping.ToEngine(wire).Value!;

        Assert.Equal("a", Assert.IsType<FieldCondition>(Assert.Single(filter.Must!)).Key);
        Assert.Equal("b", Assert.IsType<FieldCondition>(Assert.Single(filter.Should!)).Key);
        Assert.Equal("c", Assert.IsType<FieldCondition>(Assert.Single(filter.MustNot!)).Key);
        Assert.Equal(2, filter.MinShould!.MinCount);
        Assert.Single(filter.MinShould.Conditions);
    }

    [Fact]
    public void ToEngine_MatchValues_KeepTheirTypes()
    {
        Assert.Equal(PayloadValue.FromString("x"), MatchOf(new Wire.Match { Keyword = "x" }).As<MatchValue>().Value);
        Assert.Equal(PayloadValue.FromInteger(-3), MatchOf(new Wire.Match { Integer = -3 }).As<MatchValue>().Value);
        Assert.Equal(PayloadValue.True, MatchOf(new Wire.Match { Boolean = true }).As<MatchValue>().Value);
    }

    [Fact]
    public void ToEngine_MatchAnyAndExcept_MapListsByType()
    {
        var keywords = new Wire.RepeatedStrings();
        keywords.Strings.Add(["red", "green"]);
        var integers = new Wire.RepeatedIntegers();
        integers.Integers.Add([1, 2]);

        var anyKeywords = MatchOf(new Wire.Match { Keywords = keywords }).As<MatchAny>();
        var anyIntegers = MatchOf(new Wire.Match { Integers = integers }).As<MatchAny>();
        var exceptKeywords = MatchOf(new Wire.Match { ExceptKeywords = keywords }).As<MatchExcept>();
        var exceptIntegers = MatchOf(new Wire.Match { ExceptIntegers = integers }).As<MatchExcept>();

        Assert.Equal(new[] { "red", "green" }, anyKeywords.Keywords!);
        Assert.Null(anyKeywords.Integers);
        Assert.Equal(new[] { 1L, 2L }, anyIntegers.Integers!);
        Assert.Null(anyIntegers.Keywords);
        Assert.Equal(new[] { "red", "green" }, exceptKeywords.Keywords!);
        Assert.Equal(new[] { 1L, 2L }, exceptIntegers.Integers!);
    }

    [Fact]
    public void ToEngine_EmptyMatchAny_StaysEmptyList()
    {
        var any = MatchOf(new Wire.Match { Keywords = new Wire.RepeatedStrings() }).As<MatchAny>();

        Assert.NotNull(any.Keywords);
        Assert.Empty(any.Keywords);
    }

    [Fact]
    public void ToEngine_TextMatches_MapToTheirKinds()
    {
        Assert.Equal("good cheap", MatchOf(new Wire.Match { Text = "good cheap" }).As<MatchText>().Text);
        Assert.Equal("a b", MatchOf(new Wire.Match { TextAny = "a b" }).As<MatchTextAny>().Text);
        Assert.Equal("exact words", MatchOf(new Wire.Match { Phrase = "exact words" }).As<MatchPhrase>().Text);
        Assert.Equal("pre", MatchOf(new Wire.Match { Prefix = "pre" }).As<MatchPrefix>().Prefix);
    }

    [Fact]
    public void ToEngine_MatchWithoutValue_IsBadRequest()
    {
        var wire = new Wire.Filter();
        wire.Must.Add(Field("a", new Wire.Match()));

        Assert.Equal(ErrorKind.BadRequest, FilterMapping.ToEngine(wire).Error.Kind);
    }

    [Fact]
    public void ToEngine_Range_KeepsOnlySetBounds()
    {
        var range = Single(new Wire.FieldCondition { Key = "price", Range = new Wire.Range { Gte = 10, Lt = 100.5 } }).Range!;

        Assert.Equal(10, range.Gte);
        Assert.Equal(100.5, range.Lt);
        Assert.Null(range.Gt);
        Assert.Null(range.Lte);
    }

    [Fact]
    public void ToEngine_DatetimeRange_ConvertsTimestamps()
    {
        var at = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var wire = new Wire.FieldCondition
        {
            Key = "ts",
            DatetimeRange = new Wire.DatetimeRange { Gt = Timestamp.FromDateTimeOffset(at), Lte = Timestamp.FromDateTimeOffset(at.AddDays(1)) },
        };

        var range = Single(wire).DatetimeRange!;

        Assert.Equal(at, range.Gt);
        Assert.Equal(at.AddDays(1), range.Lte);
        Assert.Null(range.Gte);
        Assert.Null(range.Lt);
    }

    [Fact]
    public void ToEngine_ValuesCount_KeepsOnlySetBounds()
    {
        var count = Single(new Wire.FieldCondition { Key = "tags", ValuesCount = new Wire.ValuesCount { Gte = 2, Lt = 5 } }).ValuesCount!;

        Assert.Equal(2UL, count.Gte);
        Assert.Equal(5UL, count.Lt);
        Assert.Null(count.Gt);
        Assert.Null(count.Lte);
    }

    [Fact]
    public void ToEngine_GeoConditions_MapPointsAndRadius()
    {
        var box = Single(new Wire.FieldCondition
        {
            Key = "loc",
            GeoBoundingBox = new Wire.GeoBoundingBox { TopLeft = Geo(1, 2), BottomRight = Geo(3, 4) },
        }).GeoBoundingBox!;
        var radius = Single(new Wire.FieldCondition
        {
            Key = "loc",
            GeoRadius = new Wire.GeoRadius { Center = Geo(13.4, 52.52), Radius = 1000 },
        }).GeoRadius!;

        var exterior = new Wire.GeoLineString();
        exterior.Points.Add([Geo(0, 0), Geo(1, 0), Geo(1, 1), Geo(0, 0)]);
        var hole = new Wire.GeoLineString();
        hole.Points.Add([Geo(0.1, 0.1), Geo(0.2, 0.1), Geo(0.2, 0.2), Geo(0.1, 0.1)]);
        var wirePolygon = new Wire.GeoPolygon { Exterior = exterior };
        wirePolygon.Interiors.Add(hole);
        var polygon = Single(new Wire.FieldCondition { Key = "loc", GeoPolygon = wirePolygon }).GeoPolygon!;

        Assert.Equal(new GeoPoint(1, 2), box.TopLeft);
        Assert.Equal(new GeoPoint(3, 4), box.BottomRight);
        Assert.Equal(new GeoPoint(13.4, 52.52), radius.Center);
        Assert.Equal(1000, radius.Radius);
        Assert.Equal(4, polygon.Exterior.Count);
        Assert.Equal(new GeoPoint(0.2, 0.1), Assert.Single(polygon.Interiors!)[1]);
    }

    [Fact]
    public void ToEngine_GeoBoxWithoutCorner_IsBadRequest()
    {
        var wire = new Wire.Filter();
        wire.Must.Add(new Wire.Condition { Field = new Wire.FieldCondition { Key = "loc", GeoBoundingBox = new Wire.GeoBoundingBox { TopLeft = Geo(1, 2) } } });

        Assert.False(FilterMapping.ToEngine(wire).IsOk);
    }

    [Fact]
    public void ToEngine_FieldIsEmptyAndIsNullFlags_Map()
    {
        var field = Single(new Wire.FieldCondition { Key = "k", IsEmpty = true, IsNull = false });

        Assert.True(field.IsEmpty);
        Assert.False(field.IsNull);
    }

    [Fact]
    public void ToEngine_FieldWithNothingSet_IsBadRequest()
    {
        var wire = new Wire.Filter();
        wire.Must.Add(new Wire.Condition { Field = new Wire.FieldCondition { Key = "k" } });

        var result = FilterMapping.ToEngine(wire);

        Assert.Equal(ErrorKind.BadRequest, result.Error.Kind);
        Assert.Contains("At least one field condition", result.Error.Message);
    }

    [Fact]
    public void ToEngine_IsEmptyIsNullHasIdHasVector_Map()
    {
        var hasId = new Wire.HasIdCondition();
        hasId.HasId.Add([new Wire.PointId { Num = 1 }, new Wire.PointId { Uuid = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26" }]);
        var wire = new Wire.Filter();
        wire.Must.Add(new Wire.Condition { IsEmpty = new Wire.IsEmptyCondition { Key = "reports" } });
        wire.Must.Add(new Wire.Condition { IsNull = new Wire.IsNullCondition { Key = "owner" } });
        wire.Must.Add(new Wire.Condition { HasId = hasId });
        wire.Must.Add(new Wire.Condition { HasVector = new Wire.HasVectorCondition { HasVector = "image" } });

        var must = FilterMapping.ToEngine(wire).Value!.Must!;

        Assert.Equal("reports", Assert.IsType<IsEmptyCondition>(must[0]).Key);
        Assert.Equal("owner", Assert.IsType<IsNullCondition>(must[1]).Key);
        var ids = Assert.IsType<HasIdCondition>(must[2]).Ids;
        Assert.Contains(PointId.FromNum(1), ids);
        Assert.Contains(PointId.FromUuid(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26")), ids);
        Assert.Equal("image", Assert.IsType<HasVectorCondition>(must[3]).VectorName);
    }

    [Fact]
    public void ToEngine_NestedAndInnerFilter_MapRecursively()
    {
        var inner = new Wire.Filter();
        inner.Must.Add(Field("food", new Wire.Match { Keyword = "meat" }));
        var wire = new Wire.Filter();
        wire.Must.Add(new Wire.Condition { Nested = new Wire.NestedCondition { Key = "diet", Filter = inner } });
        wire.Should.Add(new Wire.Condition { Filter = inner });

        var filter = FilterMapping.ToEngine(wire).Value!;

        var nested = Assert.IsType<NestedCondition>(Assert.Single(filter.Must!));
        Assert.Equal("diet", nested.Key);
        Assert.Equal("food", Assert.IsType<FieldCondition>(Assert.Single(nested.Filter.Must!)).Key);
        var asCondition = Assert.IsType<FilterCondition>(Assert.Single(filter.Should!));
        Assert.Single(asCondition.Filter.Must!);
    }

    [Fact]
    public void ToEngine_Slice_MappedAndChecked()
    {
        Wire.Filter With(uint index, uint total)
        {
            var wire = new Wire.Filter();
            wire.MustNot.Add(new Wire.Condition { Slice = new Wire.SliceCondition { Index = index, Total = total } });
            return wire;
        }

        Assert.Equal(new SliceCondition(1, 3), Assert.Single(FilterMapping.ToEngine(With(1, 3)).Value!.MustNot!));
        Assert.Equal("Slice index must be less than the total number of slices", FilterMapping.ToEngine(With(3, 3)).Error.Message);
        Assert.Equal("Slice total must be greater than 0", FilterMapping.ToEngine(With(0, 0)).Error.Message);
        Assert.Equal(ErrorKind.BadRequest, FilterMapping.ToEngine(With(0, 0)).Error.Kind);
    }

    [Fact]
    public void ToEngine_EmptyCondition_IsBadRequest()
    {
        var wire = new Wire.Filter();
        wire.Must.Add(new Wire.Condition());

        Assert.False(FilterMapping.ToEngine(wire).IsOk);
    }

    private static Wire.Condition Field(string key, Wire.Match match) =>
        new() { Field = new Wire.FieldCondition { Key = key, Match = match } };

    private static Wire.GeoPoint Geo(double lon, double lat) => new() { Lon = lon, Lat = lat };

    private static FieldCondition Single(Wire.FieldCondition field)
    {
        var wire = new Wire.Filter();
        wire.Must.Add(new Wire.Condition { Field = field });
        return Assert.IsType<FieldCondition>(Assert.Single(FilterMapping.ToEngine(wire).Value!.Must!));
    }

    private static MatchHolder MatchOf(Wire.Match match) => new(Single(new Wire.FieldCondition { Key = "k", Match = match }).Match!);

    private readonly record struct MatchHolder(Match Match)
    {
        public T As<T>()
            where T : Match => Assert.IsType<T>(Match);
    }
}
