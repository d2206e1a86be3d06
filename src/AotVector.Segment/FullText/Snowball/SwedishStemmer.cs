namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Swedish stemmer (snowballstem.org/algorithms/swedish).</summary>
internal static class SwedishStemmer
{
    private const string V = "aeiouyäåö";
    private const string SEnding = "bcdfghjklmnoprtvy";

    private static readonly string[] s_main =
    [
        "a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne", "are", "aste", "en", "anden", "aren",
        "heten", "ern", "ar", "er", "heter", "or", "as", "arnas", "ernas", "ornas", "es", "ades", "andes", "ens",
        "arens", "hetens", "erns", "at", "andet", "het", "ast", "s",
    ];

    private static readonly string[] s_consonantPairs = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];
    private static readonly string[] s_other = ["lig", "ig", "els", "löst", "fullt"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(word);
        var p1 = ScandinavianRegion.P1(w, V);
        w.StartBackwards();

        var among = w.SubstringB(p1, s_main);
        if (among >= 0 && (among < s_main.Length - 1 || w.InGroupingB(SEnding)))
        {
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        ConsonantPair(w, p1);

        w.Cursor = w.Limit;
        among = w.SubstringB(p1, s_other);
        if (among >= 0)
        {
            switch (among)
            {
                case 3:
                    w.SliceFrom("lös");
                    break;
                case 4:
                    w.SliceFrom("full");
                    break;
                default:
                    w.SliceDel();
                    break;
            }
        }

        w.EndBackwards();
        return w.ToString();
    }

    // A final double or voiced-voiceless consonant pair in R1 loses its last letter.
    private static void ConsonantPair(SnowballWord w, int p1)
    {
        if (w.SubstringB(p1, s_consonantPairs) < 0 || w.Limit - 1 < p1)
        {
            return;
        }

        w.Ket = w.Limit;
        w.Bra = w.Limit - 1;
        w.SliceDel();
    }
}
