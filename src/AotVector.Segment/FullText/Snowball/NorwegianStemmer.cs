namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Norwegian (Bokmål) stemmer (snowballstem.org/algorithms/norwegian).</summary>
internal static class NorwegianStemmer
{
    private const string V = "aeiouyæåø";
    private const string SEnding = "bcdfghjlmnoprtvyz";

    private static readonly string[] s_main =
    [
        "a", "e", "ede", "ande", "ende", "ane", "ene", "hetene", "en", "heten", "ar", "er", "heter", "as", "es", "edes",
        "endes", "enes", "hetenes", "ens", "hetens", "ers", "ets", "et", "het", "ast", "s", "erte", "ert",
    ];

    private static readonly string[] s_consonantPairs = ["dt", "vt"];

    private static readonly string[] s_other = ["leg", "eleg", "ig", "eig", "lig", "elig", "els", "lov", "elov", "slov", "hetslov"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(word);
        var p1 = ScandinavianRegion.P1(w, V);
        w.StartBackwards();

        var among = w.SubstringB(p1, s_main);
        if (among >= 0)
        {
            if (among < 26)
            {
                w.SliceDel();
            }
            else if (among > 26)
            {
                w.SliceFrom("er");
            }
            else if (w.InGroupingB(SEnding) || (w.EqB("k") && w.OutGroupingB(V)))
            {
                w.SliceDel();
            }
        }

        w.Cursor = w.Limit;
        if (w.SubstringB(p1, s_consonantPairs) >= 0)
        {
            w.Ket = w.Limit;
            w.Bra = w.Limit - 1;
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        if (w.SubstringB(p1, s_other) >= 0)
        {
            w.SliceDel();
        }

        w.EndBackwards();
        return w.ToString();
    }
}
