using AotVector.Common.Filtering;
using AotVector.Common.FullText;
using AotVector.Common.Model;
using AotVector.Segment.Index.Payloads;

namespace AotVector.Segment.Tests.FullText;

public sealed class TextIndexTests
{
    private static TextIndex Build(TextIndexParams p, params string[] payloads)
    {
        var index = new TextIndex("t", JsonPath.Parse("t").Value!, p);
        for (var i = 0; i < payloads.Length; i++)
        {
            index.Update((uint)i, Json.Obj(payloads[i]));
        }

        return index;
    }

    private static uint[] Candidates(TextIndex index, Match match)
    {
        Assert.True(index.TryGetCandidates(new FieldCondition("t", Match: match), out var set));
        return [.. set.Order()];
    }

    private static bool Matches(TextIndex index, string payload, Match match) =>
        index.Matches(match, [Json.Obj(payload)["t"]!]);

    [Fact]
    public void Text_AllTokensAnyOrder_TextAny_OneToken()
    {
        var index = Build(TextIndexParams.Default, """{"t":"Red fox jumps"}""", """{"t":"a red car"}""", """{"t":["quick", "fox"]}""", """{"t":5}""");
        Assert.Equal(3, index.Points);
        Assert.Equal([0u, 2u], Candidates(index, new MatchText("FOX")));
        Assert.True(Matches(index, """{"t":"Red fox jumps"}""", new MatchText("jumps red")));
        Assert.False(Matches(index, """{"t":"Red fox jumps"}""", new MatchText("red car")));
        Assert.False(Matches(index, """{"t":"foxes"}""", new MatchText("fox")));
        Assert.Equal([0u, 1u], Candidates(index, new MatchTextAny("car jumps")));
        Assert.Empty(Candidates(index, new MatchText("red unknown")));
        Assert.False(Matches(index, """{"t":"red"}""", new MatchText("  ")));
    }

    [Fact]
    public void Phrase_NeedsPhraseMatching_AndContiguousTokens()
    {
        var off = Build(TextIndexParams.Default, """{"t":"quick brown fox"}""");
        Assert.Empty(Candidates(off, new MatchPhrase("brown fox")));
        Assert.False(Matches(off, """{"t":"quick brown fox"}""", new MatchPhrase("brown fox")));

        var on = Build(new TextIndexParams { PhraseMatching = true }, """{"t":"quick brown fox"}""", """{"t":["quick brown", "fox"]}""");
        Assert.True(Matches(on, """{"t":"quick brown fox"}""", new MatchPhrase("Brown, FOX")));
        Assert.False(Matches(on, """{"t":"quick brown fox"}""", new MatchPhrase("fox brown")));
        Assert.False(Matches(on, """{"t":["quick brown", "fox"]}""", new MatchPhrase("brown fox")));
    }

    [Fact]
    public void Update_ReplacesTokens_RemoveForgets()
    {
        var index = Build(TextIndexParams.Default, """{"t":"alpha beta"}""");
        index.Update(0, Json.Obj("""{"t":"gamma"}"""));
        Assert.Empty(Candidates(index, new MatchText("alpha")));
        Assert.Equal([0u], Candidates(index, new MatchText("gamma")));
        index.Remove(0);
        Assert.Equal(0, index.Points);
        Assert.Empty(Candidates(index, new MatchText("gamma")));
    }

    [Fact]
    public void ParamsCodec_RoundTrips()
    {
        var p = new TextIndexParams
        {
            Tokenizer = TokenizerKind.Prefix,
            MinTokenLen = 2,
            MaxTokenLen = 10,
            Lowercase = false,
            AsciiFolding = true,
            PhraseMatching = true,
            Stopwords = new StopwordsSpec(["english"], ["foo"]),
            Stemmer = new StemmerSpec("english"),
            OnDisk = true,
        };
        Assert.Equal(p, Segment.FullText.TextIndexParamsCodec.Decode(Segment.FullText.TextIndexParamsCodec.Encode(p)));
        Assert.Equal(TextIndexParams.Default, Segment.FullText.TextIndexParamsCodec.Decode(Segment.FullText.TextIndexParamsCodec.Encode(TextIndexParams.Default)));
        var disabled = new TextIndexParams { Stemmer = StemmerSpec.Disabled };
        Assert.Equal(disabled, Segment.FullText.TextIndexParamsCodec.Decode(Segment.FullText.TextIndexParamsCodec.Encode(disabled)));
    }
}
