using System.Text;
using AotVector.Common.FullText;
using AotVector.Segment.FullText;

namespace AotVector.Segment.Tests.FullText;

public sealed class Bm25Tests
{
    [Theory]
    [InlineData("", 0u)]
    [InlineData("hello", 0x248bfa47u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x2e4ff723u)]
    public void Murmur3_KnownVectors(string text, uint expected) => Assert.Equal(expected, Murmur3.Hash32(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void EmbedDocument_TermFrequencyFormula()
    {
        // 5 tokens, "the" twice, k 1.2, b 0.75, avg_len 5: 2 * 2.2 / (1.2 * 1 + 2) = 1.375.
        var analyzer = new TextAnalyzer(TokenizerKind.Whitespace, true, false, [], null, null, null);
        var (indices, values) = new Bm25(analyzer, 1.2, 0.75, 5).EmbedDocument("the cat sat on the");
        var at = Array.IndexOf(indices, Bm25.TermId("the"));
        Assert.Equal(1.375f, values[at], 5);
        Assert.Equal(4, indices.Length);
        Assert.True(indices.SequenceEqual(indices.Order()));
    }

    [Fact]
    public void EmbedQuery_UnitWeightsOncePerTerm_EnglishDefaults()
    {
        var analyzer = new TextAnalyzer(TokenizerKind.Word, true, false, TextAnalyzer.StopwordSet(new StopwordsSpec(["english"], []), true), EnglishStemmer.Stem, null, null);
        var (indices, values) = new Bm25(analyzer, Bm25.DefaultK, Bm25.DefaultB, Bm25.DefaultAvgLen).EmbedQuery("The running runs of run");
        Assert.Equal([Bm25.TermId("run")], indices);
        Assert.Equal([1f], values);
    }

    [Fact]
    public void TermId_IsTheMagnitudeOfTheSignedHash()
    {
        var hash = (int)Murmur3.Hash32(Encoding.UTF8.GetBytes("hello"));
        Assert.Equal((uint)Math.Abs(hash), Bm25.TermId("hello"));
    }
}
