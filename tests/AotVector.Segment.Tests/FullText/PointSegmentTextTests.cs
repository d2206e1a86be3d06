using AotVector.Common.Filtering;
using AotVector.Common.FullText;
using AotVector.Common.Model;
using AotVector.Testing;

namespace AotVector.Segment.Tests.FullText;

public sealed class PointSegmentTextTests
{
    private static Dictionary<string, VectorData> V() => new() { [""] = new DenseVector([1, 0]) };

    private static int CountText(PointSegment segment, Match match) =>
        segment.Count(new Filter(Must: [new FieldCondition("t", Match: match)]));

    [Fact]
    public void TextIndex_ChangesMatchFromSubstringToTokens_AndSurvivesReopen()
    {
        using var dir = new TempDirectory();
        var p = new TextIndexParams { Stemmer = new StemmerSpec("english"), PhraseMatching = true };
        using (var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(2, Distance.Dot) }))
        {
            segment.Upsert(1, 1ul, V(), Json.Obj("""{"t":"Running dogs"}"""));
            segment.Upsert(2, 2ul, V(), Json.Obj("""{"t":"a dogma"}"""));

            // Without an index, text is a substring test (the reference's too).
            Assert.Equal(2, CountText(segment, new MatchText("dog")));
            Assert.Equal(0, CountText(segment, new MatchText("run")));

            segment.CreateFieldIndex("t", FieldIndexType.Text, p);
            Assert.Equal(1, CountText(segment, new MatchText("dog")));
            Assert.Equal(1, CountText(segment, new MatchText("runs")));
            Assert.Equal(1, CountText(segment, new MatchPhrase("run dog")));
            Assert.Equal(2, CountText(segment, new MatchTextAny("dogma dog")));

            segment.Upsert(3, 3ul, V(), Json.Obj("""{"t":"Dog"}"""));
            segment.Delete(4, 1ul);
            Assert.Equal(1, CountText(segment, new MatchText("dog")));
            segment.Flush(4);
        }

        using var reopened = PointSegment.Open(dir.Combine("s"));
        Assert.Equal(p, reopened.TextIndexParams("t"));
        Assert.Equal(FieldIndexType.Text, reopened.FieldIndexes["t"].Type);
        Assert.Equal(1, CountText(reopened, new MatchText("dogs")));
        Assert.Equal(0, CountText(reopened, new MatchPhrase("run dog")));
    }
}
