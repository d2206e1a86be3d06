using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.FullText;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Inference;
using AotVector.Engine.Operations;
using AotVector.Segment.FullText;

namespace AotVector.Engine.Tests;

/// <summary>Text indexes and BM25 documents through the engine: filters, restart, refusals, vectors as the reference's.</summary>
public sealed class FullTextTests
{
    private static readonly AccessContext s_full = EngineFixture.Full;

    private static readonly string[] s_texts =
    [
        "The quick brown fox jumps over the lazy dog",
        "Foxes are running in the forest",
        "A lazy afternoon with a good book",
        "dogma and doctrine",
    ];

    private static void Create(EngineFixture f)
    {
        var request = new CreateCollectionRequest("t", new VectorsConfig(null, new Dictionary<string, VectorParams> { ["dense"] = new(2, Distance.Dot) }))
        {
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["bm25"] = new(null, SparseModifier.Idf) },
        };
        Assert.True(f.Engine.CreateAsync(s_full, request, default).AsTask().Result.IsOk);
    }

    private static Result<UpdateResult> Write(EngineFixture f, UpdateOperation op) =>
        f.Engine.UpdateAsync(s_full, "t", op, new WriteOptions(true), default).AsTask().Result;

    private static PointStruct Doc(ulong id, string text, Payload? options = null) =>
        new(id, new Dictionary<string, VectorData> { ["dense"] = new float[] { 1, 0 }, ["bm25"] = new DocumentVector(text, "qdrant/bm25", options) }, Payload(text));

    private static Payload Payload(string text)
    {
        var payload = new Payload();
        payload["body"] = PayloadValue.FromString(text);
        return payload;
    }

    private static ulong[] Matching(EngineFixture f, Match match)
    {
        var request = new ScrollRequest(new Filter(Must: [new FieldCondition("body", Match: match)]), 100, null, WithPayload.None, WithVector.None);
        var result = f.Engine.ScrollAsync(s_full, "t", request, default).AsTask().Result;
        Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);
        return [.. result.Value!.Points.Select(p => p.Id.Num).Order()];
    }

    private static PointRecord Retrieve(EngineFixture f, ulong id) =>
        f.Engine.RetrieveAsync(s_full, "t", new RetrieveRequest([id], WithPayload.None, WithVector.All), default).AsTask().Result.Value![0];

    private static IReadOnlyList<ScoredPoint> Query(EngineFixture f, QueryRequest request) =>
        f.Engine.QueryAsync(s_full, "t", request, default, default).AsTask().Result.Value!;

    private static void Fill(EngineFixture f)
    {
        Assert.True(Write(f, new UpsertPoints([.. s_texts.Select((t, i) => Doc((ulong)i + 1, t))])).IsOk);
    }

    [Fact]
    public void TextIndex_MatchesTokens_KeepsItsParamsAcrossRestart()
    {
        using var f = new EngineFixture();
        Create(f);
        Fill(f);
        Assert.Equal([1ul], Matching(f, new MatchText("fox"))); // no index: a substring, and case matters
        Assert.Equal([1ul, 4ul], Matching(f, new MatchText("dog")));

        var text = new TextIndexParams { Stemmer = new StemmerSpec("english"), Stopwords = new StopwordsSpec(["english"], []), PhraseMatching = true };
        Assert.True(Write(f, new CreateFieldIndex("body", PayloadSchemaType.Text) { Text = text }).IsOk);
        Assert.Equal([1ul, 2ul], Matching(f, new MatchText("FOX")));
        Assert.Equal([1ul], Matching(f, new MatchText("dog")));
        Assert.Equal([1ul, 2ul, 3ul], Matching(f, new MatchTextAny("run lazy")));
        Assert.Equal([1ul], Matching(f, new MatchPhrase("lazy dog")));
        Assert.Empty(Matching(f, new MatchPhrase("dog lazy")));

        Assert.True(Write(f, new DeletePoints(new PointsSelector([1ul], null))).IsOk);
        Assert.True(Write(f, new UpsertPoints([Doc(5, "running dogs")])).IsOk);
        Assert.Equal([5ul], Matching(f, new MatchText("dog run")));

        f.Reopen();
        Assert.Equal([5ul], Matching(f, new MatchText("dog run")));
        var info = f.Engine.GetInfo(s_full, "t").Value!;
        Assert.Equal(PayloadSchemaType.Text, info.PayloadSchema["body"].DataType);
        Assert.Equal(text, info.PayloadSchema["body"].Text);
    }

    [Fact]
    public void TextIndex_StemmersNotBuiltIn_AreRefused_UnknownLanguagesAreBadInput()
    {
        using var f = new EngineFixture();
        Create(f);
        var arabic = Write(f, new CreateFieldIndex("body", PayloadSchemaType.Text) { Text = new TextIndexParams { Stemmer = new StemmerSpec("arabic") } });
        Assert.False(arabic.IsOk);
        Assert.Contains("not supported yet", arabic.Error.Message);
        var unknown = Write(f, new CreateFieldIndex("body", PayloadSchemaType.Text) { Text = new TextIndexParams { Stemmer = new StemmerSpec("klingon") } });
        Assert.Equal(ErrorKind.BadRequest, unknown.Error.Kind);
        var unknownStopwords = Write(f, new CreateFieldIndex("body", PayloadSchemaType.Text) { Text = new TextIndexParams { Stopwords = new StopwordsSpec(["klingon"], []) } });
        Assert.Equal(ErrorKind.BadRequest, unknownStopwords.Error.Kind);
    }

    [Fact]
    public void TextIndex_GermanStemmerAndStopwords_MatchInflectedForms()
    {
        using var f = new EngineFixture();
        Create(f);
        Assert.True(Write(f, new UpsertPoints([Doc(1, "Die Häuser der Stadt"), Doc(2, "Ein Haus am See"), Doc(3, "Der Hund und die Katze")])).IsOk);
        var german = new TextIndexParams { Stopwords = new StopwordsSpec(["de"], []), Stemmer = new StemmerSpec("german") };
        Assert.True(Write(f, new CreateFieldIndex("body", PayloadSchemaType.Text) { Text = german }).IsOk);

        Assert.Equal([1ul, 2ul], Matching(f, new MatchText("Hauses"))); // häuser, haus and hauses all stem to "haus"
        Assert.Equal([2ul], Matching(f, new MatchText("der See"))); // "der" is a German stop word, so only "see" must match
    }

    [Fact]
    public void Bm25Documents_GermanLanguage_StemsAndDropsGermanStopWords()
    {
        using var f = new EngineFixture();
        Create(f);
        var options = new Payload();
        options["language"] = PayloadValue.FromString("german");
        Assert.True(Write(f, new UpsertPoints([Doc(1, "Die Häuser der Stadt", options)])).IsOk);

        var stored = (SparseVector)Retrieve(f, 1).Vectors!["bm25"];
        Assert.Equal(new[] { Bm25.TermId("haus"), Bm25.TermId("stadt") }.Order(), stored.Indices.Order());
    }

    [Fact]
    public void Bm25Documents_StoreTermFrequencies_AndQueriesRankByThem()
    {
        using var f = new EngineFixture();
        Create(f);
        Fill(f);

        var stored = Retrieve(f, 2);
        var english = new TextAnalyzer(TokenizerKind.Word, true, false, TextAnalyzer.StopwordSet(new StopwordsSpec(["english"], []), true), EnglishStemmer.Stem, null, null);
        var (indices, values) = new Bm25(english, 1.2, 0.75, 256).EmbedDocument(s_texts[1]);
        Assert.Equal(new SparseVector(indices, values), stored.Vectors!["bm25"]);
        Assert.Contains(Bm25.TermId("fox"), indices); // "Foxes" stems to "fox"; "are", "in", "the" are stop words
        Assert.Equal(3, indices.Length);

        var query = new QueryRequest(new NearestQuery(new DocumentInput(new DocumentVector("lazy dogs", "bm25", null))), "bm25", null, 10, 0, null, null, WithPayload.None, WithVector.None);
        var hits = Query(f, query);
        Assert.Equal([1ul, 3ul], hits.Select(h => h.Id.Num));
    }

    [Fact]
    public void Documents_OtherModelsAndBadOptions_AreRefused()
    {
        using var f = new EngineFixture();
        Create(f);
        var other = Write(f, new UpsertPoints([new PointStruct(1ul, new Dictionary<string, VectorData> { ["bm25"] = new DocumentVector("x", "sentence-transformers/all-minilm-l6-v2", null) }, null)]));
        Assert.Equal(DocumentInference.NoInferenceService.Message, other.Error.Message);

        var options = new Payload();
        options["b"] = PayloadValue.FromDouble(1.5);
        var bad = Write(f, new UpsertPoints([Doc(1, "x", options)]));
        Assert.Contains("Invalid BM25 config", bad.Error.Message);

        var noStem = new Payload();
        noStem["language"] = PayloadValue.FromString("none");
        Assert.True(Write(f, new UpsertPoints([Doc(2, "running runs", noStem)])).IsOk);
        var stored = Retrieve(f, 2);
        Assert.Equal(2, ((SparseVector)stored.Vectors!["bm25"]).Indices.Length);
    }
}
