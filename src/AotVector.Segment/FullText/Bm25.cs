using System.Text;

namespace AotVector.Segment.FullText;

/// <summary>
/// The reference's server-side BM25 "model": a document becomes term-frequency weights, a query unit weights, each
/// keyed by the term's id (MurmurHash3 of its UTF-8 bytes, seed 0, as a signed value's magnitude) so the vectors match
/// the reference's and fastembed's. The inverse document frequency is the sparse vector's <c>idf</c> modifier's job.
/// </summary>
public sealed class Bm25(TextAnalyzer analyzer, double k, double b, double avgLen)
{
    public const double DefaultK = 1.2;
    public const double DefaultB = 0.75;
    public const double DefaultAvgLen = 256.0;

    public static uint TermId(string token)
    {
        var hash = (int)Murmur3.Hash32(Encoding.UTF8.GetBytes(token));
        return hash == int.MinValue ? 0x80000000u : (uint)Math.Abs(hash);
    }

    /// <summary>Document weights, indices ascending.</summary>
    public (uint[] Indices, float[] Values) EmbedDocument(string text)
    {
        var tokens = new List<string>();
        analyzer.TokenizeDocument(text, tokens);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            counts[token] = counts.TryGetValue(token, out var n) ? n + 1 : 1;
        }

        var docLen = (double)tokens.Count;
        var weights = new SortedDictionary<uint, float>();
        foreach (var (token, count) in counts)
        {
            var n = (double)count;
            var tf = n * (k + 1.0) / Math.FusedMultiplyAdd(k, 1.0 - b + (b * docLen / avgLen), n);
            // Two tokens with one id keep the last written, as the reference's map does.
            weights[TermId(token)] = (float)tf;
        }

        return ([.. weights.Keys], [.. weights.Values]);
    }

    /// <summary>Query weights: 1 per distinct term, indices ascending.</summary>
    public (uint[] Indices, float[] Values) EmbedQuery(string text)
    {
        var tokens = new List<string>();
        analyzer.TokenizeQuery(text, tokens);
        var ids = new SortedSet<uint>();
        foreach (var token in tokens)
        {
            ids.Add(TermId(token));
        }

        var values = new float[ids.Count];
        Array.Fill(values, 1f);
        return ([.. ids], values);
    }
}
