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
}
