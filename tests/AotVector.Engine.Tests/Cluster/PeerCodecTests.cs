using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;

namespace AotVector.Engine.Tests.Cluster;

/// <summary>
/// What crosses to another peer comes back as it left: filters with every kind of condition, and operations with
/// the parts a replica resolves itself (filter selectors, update filters, insert/update modes).
/// </summary>
public sealed class PeerCodecTests
{
    private static readonly Filter EveryCondition = new(
        Must:
        [
            new FieldCondition("kw", Match: new MatchValue(PayloadValue.FromString("a"))),
            new FieldCondition("int", Match: new MatchValue(PayloadValue.FromInteger(-5)), IsNull: false),
            new FieldCondition("flag", Match: new MatchValue(PayloadValue.FromBool(true))),
            new FieldCondition("any", Match: new MatchAny(["x", "y"], null)),
            new FieldCondition("anyInt", Match: new MatchAny(null, [1, 2, 3])),
            new FieldCondition("except", Match: new MatchExcept([], null)),
            new FieldCondition("text", Match: new MatchText("hello world")),
            new FieldCondition("textAny", Match: new MatchTextAny("a b")),
            new FieldCondition("phrase", Match: new MatchPhrase("a b")),
            new FieldCondition("prefix", Match: new MatchPrefix("pre")),
            new FieldCondition("range", Range: new RangeCondition(Gt: 1.5, Lte: 9)),
            new FieldCondition("when", DatetimeRange: new DatetimeRange(Gte: new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), Lt: DateTimeOffset.UnixEpoch)),
            new FieldCondition("tags", ValuesCount: new ValuesCount(Gte: 1, Lt: 4), IsEmpty: false),
        ],
        Should:
        [
            new FieldCondition("geo", GeoBoundingBox: new GeoBoundingBox(new GeoPoint(1, 2), new GeoPoint(3, 4))),
            new FieldCondition("geo", GeoRadius: new GeoRadius(new GeoPoint(13.4, 52.5), 1000)),
            new FieldCondition("geo", GeoPolygon: new GeoPolygon([new(0, 0), new(1, 0), new(1, 1)], [[new(0.2, 0.2), new(0.3, 0.2), new(0.3, 0.3)]])),
            new FieldCondition("geo", GeoPolygon: new GeoPolygon([new(0, 0), new(1, 0), new(1, 1)], null)),
        ],
        MustNot:
        [
            new IsEmptyCondition("e"),
            new IsNullCondition("n"),
            new HasIdCondition(new HashSet<PointId> { 5UL, Guid.Parse("c0ffee00-0000-4000-8000-000000000001") }),
            new HasVectorCondition("image"),
            new NestedCondition("items", new Filter(Must: [new FieldCondition("items[].a", Match: new MatchValue(PayloadValue.FromInteger(1)))])),
            new FilterCondition(new Filter(Should: [])),
            new SliceCondition(2, 5),
        ],
        MinShould: new MinShould([new HasVectorCondition(""), new IsEmptyCondition("x")], 1));

    [Fact]
    public void A_filter_with_every_condition_survives_the_trip()
    {
        var decoded = PeerCodec.DecodeFilter(PeerCodec.EncodeFilter(EveryCondition));

        // Records compare lists by reference, so compare the re-encoded bytes: equal bytes, equal filters.
        Assert.Equal(PeerCodec.EncodeFilter(EveryCondition), PeerCodec.EncodeFilter(decoded));
        var when = Assert.IsType<FieldCondition>(decoded.Must![11]).DatetimeRange!;
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), when.Gte);
        Assert.Equal(TimeSpan.FromHours(2), when.Gte!.Value.Offset);
        Assert.Null(when.Gt);
        Assert.Empty(Assert.IsType<FilterCondition>(decoded.MustNot![5]).Filter.Should!);
        Assert.Null(Assert.IsType<FieldCondition>(decoded.Should![3]).GeoPolygon!.Interiors);
        Assert.Equal(2, Assert.IsType<HasIdCondition>(decoded.MustNot[2]).Ids.Count);
        Assert.Equal(new SliceCondition(2, 5), decoded.MustNot[6]);
    }

    [Fact]
    public void Operations_keep_their_filter_selectors_update_filters_and_modes()
    {
        var filter = new Filter(Must: [new FieldCondition("n", Range: new RangeCondition(Lt: 10))]);
        var points = new[] { new PointStruct(3UL, new Dictionary<string, VectorData> { [""] = new[] { 1f, 2f } }, new Payload { ["a"] = PayloadValue.FromInteger(1) }) };

        var upsert = Assert.IsType<UpsertPoints>(RoundTrip(new UpsertPoints(points, filter, UpdateMode.UpdateOnly)));
        Assert.Equal(UpdateMode.UpdateOnly, upsert.Mode);
        Assert.Equal(PeerCodec.EncodeFilter(filter), PeerCodec.EncodeFilter(upsert.UpdateFilter!));
        Assert.Equal(points[0].Payload, Assert.Single(upsert.Points).Payload);

        var plain = Assert.IsType<UpsertPoints>(RoundTrip(new UpsertPoints(points)));
        Assert.Equal((UpdateMode.Upsert, (Filter?)null), (plain.Mode, plain.UpdateFilter));

        var delete = Assert.IsType<DeletePoints>(RoundTrip(new DeletePoints(PointsSelector.ByFilter(filter))));
        Assert.Null(delete.Selector.Ids);
        Assert.Equal(PeerCodec.EncodeFilter(filter), PeerCodec.EncodeFilter(delete.Selector.Filter!));

        var byIds = Assert.IsType<SetPayload>(RoundTrip(new SetPayload(new Payload { ["k"] = PayloadValue.FromString("v") }, PointsSelector.ByIds([1UL, 2UL]), "nested.key")));
        Assert.Equal([1UL, 2UL], byIds.Selector.Ids!.Select(i => i.Num));
        Assert.Equal("nested.key", byIds.Key);

        var vectors = Assert.IsType<UpdateVectors>(RoundTrip(new UpdateVectors([new PointVectors(3UL, new Dictionary<string, VectorData> { ["s"] = new SparseVector([1, 5], [0.5f, 2f]) })], filter)));
        Assert.NotNull(vectors.UpdateFilter);
        Assert.Equal(new SparseVector([1, 5], [0.5f, 2f]), Assert.Single(vectors.Points).Vectors["s"]);

        var deleteVectors = Assert.IsType<DeleteVectors>(RoundTrip(new DeleteVectors(PointsSelector.ByFilter(filter), ["a", "b"])));
        Assert.Equal(["a", "b"], deleteVectors.VectorNames);
        Assert.NotNull(deleteVectors.Selector.Filter);

        Assert.Equal(new CreateFieldIndex("f", PayloadSchemaType.Keyword), RoundTrip(new CreateFieldIndex("f", PayloadSchemaType.Keyword)));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 9, 0, 0, 2, 1 })]
    [InlineData(new byte[] { 1, 7, 0, 2, 1 })]
    [InlineData(new byte[] { 1, 0, 1, 1, 1, 0, 0, 0 })]
    public void Malformed_operations_are_refused_as_invalid_data(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => PeerCodec.DecodeOperation(bytes));

    [Fact]
    public void A_filter_with_trailing_bytes_is_refused()
    {
        byte[] bytes = [.. PeerCodec.EncodeFilter(new Filter(Must: [new IsEmptyCondition("a")])), 0];

        Assert.Throws<InvalidDataException>(() => PeerCodec.DecodeFilter(bytes));
    }

    private static UpdateOperation RoundTrip(UpdateOperation operation) => PeerCodec.DecodeOperation(PeerCodec.EncodeOperation(operation));
}
