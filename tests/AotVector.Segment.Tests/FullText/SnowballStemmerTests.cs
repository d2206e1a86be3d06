using AotVector.Segment.FullText.Snowball;

namespace AotVector.Segment.Tests.FullText;

public sealed class SnowballStemmerTests
{
    // Each SnowballVocab/<language>.txt holds word<TAB>stem pairs: an evenly spaced sample of 400 from the official
    // Snowball test vocabulary (github.com/snowballstem/snowball-data, BSD-3-Clause) for the algorithms of Snowball
    // 2.2 (the data of 2021-09; later data tracks later algorithm changes). SNOWBALL_VOCAB_DIR may name a folder of
    // the same files holding whole vocabularies.
    [Theory]
    [InlineData("english")]
    [InlineData("german")]
    [InlineData("french")]
    [InlineData("spanish")]
    [InlineData("italian")]
    [InlineData("portuguese")]
    [InlineData("swedish")]
    [InlineData("norwegian")]
    [InlineData("danish")]
    [InlineData("dutch")]
    [InlineData("russian")]
    [InlineData("finnish")]
    public void Stem_OfficialVocabularySample_MatchesSnowballOutput(string language)
    {
        var stem = SnowballStemmers.For(language);
        Assert.NotNull(stem);
        var folder = Environment.GetEnvironmentVariable("SNOWBALL_VOCAB_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(AppContext.BaseDirectory, "FullText", "SnowballVocab");
        var lines = File.ReadAllLines(Path.Combine(folder, language + ".txt"));
        Assert.True(lines.Length >= 200, $"only {lines.Length} pairs for {language}");
        var wrong = new List<string>();
        foreach (var line in lines)
        {
            var tab = line.IndexOf('\t');
            var (word, expected) = (line[..tab], line[(tab + 1)..]);
            var actual = stem(word);
            if (actual != expected)
            {
                wrong.Add($"{word}: expected {expected}, got {actual}");
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {lines.Length} wrong:\n" + string.Join("\n", wrong.Take(30)));
    }

    [Theory]
    [InlineData("de", "german")]
    [InlineData("en", "english")]
    public void For_Alias_IsTheLanguagesStemmer(string alias, string language) =>
        Assert.Equal(SnowballStemmers.For(language)!("häuser"), SnowballStemmers.For(alias)!("häuser"));
}
