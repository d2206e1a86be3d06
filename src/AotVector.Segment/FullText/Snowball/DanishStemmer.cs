namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Danish stemmer (snowballstem.org/algorithms/danish).</summary>
internal static class DanishStemmer
{
    private const string C = "bcdfghjklmnpqrstvwxz";
    private const string V = "aeiouyæåø";
    private const string SEnding = "abcdfghjklmnoprtvyzå";

    private static readonly string[] s_main =
    [
        "hed", "ethed", "ered", "e", "erede", "ende", "erende", "ene", "erne", "ere", "en", "heden", "eren", "er",
        "heder", "erer", "heds", "es", "endes", "erendes", "enes", "ernes", "eres", "ens", "hedens", "erens", "ers",
        "ets", "erets", "et", "eret", "s",
    ];

    private static readonly string[] s_consonantPairs = ["gd", "dt", "gt", "kt"];
    private static readonly string[] s_other = ["ig", "lig", "elig", "els", "løst"];

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
        OtherSuffix(w, p1);

        w.Cursor = w.Limit;
        Undouble(w, p1);

        w.EndBackwards();
        return w.ToString();
    }

    // Drops the last letter of a final gd, dt, gt or kt in R1 (the cursor is at the end of the word).
    private static void ConsonantPair(SnowballWord w, int p1)
    {
        var end = w.Cursor;
        if (w.SubstringB(p1, s_consonantPairs) < 0)
        {
            return;
        }

        w.Ket = end;
        w.Bra = end - 1;
        w.SliceDel();
    }

    private static void OtherSuffix(SnowballWord w, int p1)
    {
        if (w.SliceEqB("st") && w.EqB("ig"))
        {
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        var among = w.SubstringB(p1, s_other);
        if (among == 4)
        {
            w.SliceFrom("løs");
        }
        else if (among >= 0)
        {
            w.SliceDel();
            w.Cursor = w.Limit;
            ConsonantPair(w, p1);
        }
    }

    // A final doubled consonant in R1 is undoubled.
    private static void Undouble(SnowballWord w, int p1)
    {
        var end = w.Cursor;
        if (end - 1 < p1 || C.IndexOf(w[end - 1]) < 0 || end - 2 < 0 || w[end - 2] != w[end - 1])
        {
            return;
        }

        w.Ket = end;
        w.Bra = end - 1;
        w.SliceDel();
    }
}
