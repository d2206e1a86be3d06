using AotVector.Common.FullText;
using AotVector.Segment.FullText;

namespace AotVector.Segment.Tests.FullText;

public sealed class TextAnalyzerTests
{
    private static List<string> Doc(TextIndexParams p, string text)
    {
        var tokens = new List<string>();
        TextAnalyzer.ForIndex(p).TokenizeDocument(text, tokens);
        return tokens;
    }

    private static List<string> Query(TextIndexParams p, string text)
    {
        var tokens = new List<string>();
        TextAnalyzer.ForIndex(p).TokenizeQuery(text, tokens);
        return tokens;
    }

    [Fact]
    public void Word_SplitsOnNonAlphanumericAndLowercases()
    {
        Assert.Equal(["hello", "world", "привет", "мир", "x2"], Doc(TextIndexParams.Default, "Hello, world! Привет, мир! x2"));
        Assert.Equal(["Hello", "World"], Doc(new TextIndexParams { Lowercase = false }, "Hello World"));
    }

    [Fact]
    public void Whitespace_KeepsPunctuation()
    {
        Assert.Equal(["hello,", "world!"], Doc(new TextIndexParams { Tokenizer = TokenizerKind.Whitespace }, "Hello,  World!"));
    }

    [Fact]
    public void Prefix_DocumentsIndexEveryPrefix_QueriesKeepTheWord()
    {
        var p = new TextIndexParams { Tokenizer = TokenizerKind.Prefix, MinTokenLen = 2, MaxTokenLen = 4 };
        Assert.Equal(["he", "hel", "hell", "hi"], Doc(p, "hello hi"));
        Assert.Equal(["hell"], Query(p, "hello"));
        Assert.Empty(Query(p, "h"));
    }

    [Fact]
    public void Lengths_StopwordsStemmerAndFolding_InTheReferenceOrder()
    {
        var p = new TextIndexParams
        {
            MinTokenLen = 2,
            MaxTokenLen = 8,
            Stopwords = new StopwordsSpec(["english"], ["Qdrant"]),
            Stemmer = new StemmerSpec("english"),
            AsciiFolding = true,
        };
        Assert.Equal(["run", "fast", "cafe"], Doc(p, "The qdrant is running a FAST café extraordinarily"));
    }

    [Fact]
    public void Multilingual_SplitsIdeographsOneByOne()
    {
        Assert.Equal(["東", "京", "tokyo"], Doc(new TextIndexParams { Tokenizer = TokenizerKind.Multilingual }, "東京 Tokyo 123"));
    }

    [Fact]
    public void AsciiFolding_LatinLetters()
    {
        Assert.Equal("AEroskobing strasse naive Lodz", AsciiFolding.Fold("Ærøskøbing straße naïve Łódź"));
    }
}
