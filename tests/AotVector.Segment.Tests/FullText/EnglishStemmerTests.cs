using AotVector.Segment.FullText;

namespace AotVector.Segment.Tests.FullText;

public sealed class EnglishStemmerTests
{
    // Pairs from the Snowball English algorithm's published examples and its exception lists.
    [Theory]
    [InlineData("consign", "consign")]
    [InlineData("consigned", "consign")]
    [InlineData("consigning", "consign")]
    [InlineData("consignment", "consign")]
    [InlineData("consistency", "consist")]
    [InlineData("consistently", "consist")]
    [InlineData("consolation", "consol")]
    [InlineData("consolatory", "consolatori")]
    [InlineData("consolidated", "consolid")]
    [InlineData("consolingly", "consol")]
    [InlineData("conspicuously", "conspicu")]
    [InlineData("conspiracy", "conspiraci")]
    [InlineData("constable", "constabl")]
    [InlineData("constancy", "constanc")]
    [InlineData("knackeries", "knackeri")]
    [InlineData("kneeling", "kneel")]
    [InlineData("knightly", "knight")]
    [InlineData("knitting", "knit")]
    [InlineData("knives", "knive")]
    [InlineData("running", "run")]
    [InlineData("hoping", "hope")]
    [InlineData("hopping", "hop")]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("ties", "tie")]
    [InlineData("cats", "cat")]
    [InlineData("gas", "gas")]
    [InlineData("generously", "generous")]
    [InlineData("generation", "generat")]
    [InlineData("skies", "sky")]
    [InlineData("dying", "die")]
    [InlineData("news", "news")]
    [InlineData("succeed", "succeed")]
    [InlineData("innings", "inning")]
    [InlineData("happily", "happili")]
    [InlineData("by", "by")]
    [InlineData("yelling", "yell")]
    public void Stem_KnownWords(string word, string expected) => Assert.Equal(expected, EnglishStemmer.Stem(word));
}
