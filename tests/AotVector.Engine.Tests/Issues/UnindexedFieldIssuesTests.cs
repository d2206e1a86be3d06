using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Issues;

namespace AotVector.Engine.Tests.Issues;

/// <summary>Which filter conditions raise an UNINDEXED_FIELD issue, and which index types it offers.</summary>
public sealed class UnindexedFieldIssuesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    // "id: schema, schema" per issue.
    private static List<string> Find(Filter filter, Dictionary<string, PayloadSchemaType>? indexed = null) =>
        [.. UnindexedFieldIssues.Find("c", filter, indexed ?? [], Now).Select(i => i.Id + ": " + string.Join(", ", i.Solutions.Select(s => s.Body.Single(b => b.Key == "field_schema").Value)))];

    [Fact]
    public void Keyword_match_offers_a_keyword_index_and_an_existing_one_silences_it()
    {
        var filter = new Filter(Must: [new FieldCondition("city", Match: new MatchValue(PayloadValue.FromString("Paris")))]);
        Assert.Equal(["UNINDEXED_FIELD/c/city: keyword"], Find(filter));
        Assert.Empty(Find(filter, new() { ["city"] = PayloadSchemaType.Keyword }));
        // An index that cannot serve the condition does not count.
        Assert.Single(Find(filter, new() { ["city"] = PayloadSchemaType.Integer }));
    }

    [Fact]
    public void Nested_conditions_name_the_full_path_and_ids_need_no_index()
    {
        var filter = new Filter(
            Should: [new NestedCondition("tags", new Filter(Must: [new FieldCondition("score", Range: new RangeCondition(Gt: 1))]))],
            MustNot: [new HasIdCondition(new HashSet<PointId>())]);
        Assert.Equal(["UNINDEXED_FIELD/c/tags[].score: integer, float"], Find(filter));
    }

    [Fact]
    public void Is_empty_accepts_any_index_type_but_uuid_and_an_empty_any_list_needs_none()
    {
        var filter = new Filter(Must:
        [
            new IsEmptyCondition("note"),
            new FieldCondition("kind", Match: new MatchAny([], null)),
        ]);
        Assert.Equal(["UNINDEXED_FIELD/c/note: integer, keyword, float, text, bool, datetime, geo"], Find(filter));
    }

    [Fact]
    public void The_cheap_check_agrees_with_find_and_allocates_nothing_for_indexed_filters()
    {
        var indexed = new Dictionary<string, PayloadSchemaType> { ["city"] = PayloadSchemaType.Keyword, ["n"] = PayloadSchemaType.Integer };
        var served = new Filter(
            Must: [new FieldCondition("city", Match: new MatchValue(PayloadValue.FromString("Paris")))],
            Should: [new FieldCondition("n", Range: new RangeCondition(Lt: 3)), new FilterCondition(new Filter(MustNot: [new FieldCondition("n", Match: new MatchValue(PayloadValue.FromInteger(1)))]))],
            MustNot: [new HasIdCondition(new HashSet<PointId>())]);
        Assert.Empty(Find(served, indexed));
        Assert.False(UnindexedFieldIssues.MayTouchUnindexed(served, indexed));

        // An unindexed field anywhere (here inside an inner filter), or an index of the wrong type, is noticed.
        var inner = served with { Should = [new FilterCondition(new Filter(Must: [new FieldCondition("color", Match: new MatchValue(PayloadValue.FromString("red")))]))] };
        Assert.NotEmpty(Find(inner, indexed));
        Assert.True(UnindexedFieldIssues.MayTouchUnindexed(inner, indexed));
        var wrongType = new Filter(Must: [new FieldCondition("city", Range: new RangeCondition(Gt: 1))]);
        Assert.NotEmpty(Find(wrongType, indexed));
        Assert.True(UnindexedFieldIssues.MayTouchUnindexed(wrongType, indexed));

        UnindexedFieldIssues.MayTouchUnindexed(served, indexed);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            UnindexedFieldIssues.MayTouchUnindexed(served, indexed);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
