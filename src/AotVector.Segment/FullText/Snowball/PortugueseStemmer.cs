namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Portuguese stemmer (snowballstem.org/algorithms/portuguese).</summary>
internal static class PortugueseStemmer
{
    // ã and õ are written a~ and o~ while the suffixes are removed (so ~ is a consonant), as the algorithm does.
    private const string V = "aeiouáéíóúâêô";

    private static readonly (string Suffix, int Group)[] s_standard =
    [
        ("eza", 1), ("ezas", 1), ("ico", 1), ("ica", 1), ("icos", 1), ("icas", 1), ("ismo", 1), ("ismos", 1), ("ável", 1),
        ("ível", 1), ("ista", 1), ("istas", 1), ("oso", 1), ("osa", 1), ("osos", 1), ("osas", 1), ("amento", 1),
        ("amentos", 1), ("imento", 1), ("imentos", 1), ("adora", 1), ("ador", 1), ("aça~o", 1), ("adoras", 1),
        ("adores", 1), ("aço~es", 1), ("ante", 1), ("antes", 1), ("ância", 1),
        ("logia", 2), ("logias", 2), ("uça~o", 3), ("uço~es", 3), ("ência", 4), ("ências", 4), ("amente", 5),
        ("mente", 6), ("idade", 7), ("idades", 7), ("iva", 8), ("ivo", 8), ("ivas", 8), ("ivos", 8), ("ira", 9), ("iras", 9),
    ];

    private static readonly string[] s_standardSuffixes = [.. s_standard.Select(s => s.Suffix)];
    private static readonly string[] s_amente = ["iv", "os", "ic", "ad"];
    private static readonly string[] s_mente = ["ante", "avel", "ível"];
    private static readonly string[] s_idade = ["abil", "ic", "iv"];

    private static readonly string[] s_verbs =
    [
        "ada", "ida", "ia", "aria", "eria", "iria", "ará", "ara", "erá", "era", "irá", "ava", "asse", "esse", "isse", "aste",
        "este", "iste", "ei", "arei", "erei", "irei", "am", "iam", "ariam", "eriam", "iriam", "aram", "eram", "iram",
        "avam", "em", "arem", "erem", "irem", "assem", "essem", "issem", "ado", "ido", "ando", "endo", "indo", "ara~o",
        "era~o", "ira~o", "ar", "er", "ir", "as", "adas", "idas", "ias", "arias", "erias", "irias", "arás", "aras",
        "erás", "eras", "irás", "avas", "es", "ardes", "erdes", "irdes", "ares", "eres", "ires", "asses", "esses",
        "isses", "astes", "estes", "istes", "is", "ais", "eis", "íeis", "aríeis", "eríeis", "iríeis", "áreis", "areis",
        "éreis", "ereis", "íreis", "ireis", "ásseis", "ésseis", "ísseis", "áveis", "ados", "idos", "ámos", "amos",
        "íamos", "aríamos", "eríamos", "iríamos", "áramos", "éramos", "íramos", "ávamos", "emos", "aremos", "eremos",
        "iremos", "ássemos", "êssemos", "íssemos", "imos", "armos", "ermos", "irmos", "eu", "iu", "ou", "ira", "iras",
    ];

    private static readonly string[] s_residual = ["os", "a", "i", "o", "á", "í", "ó"];
    private static readonly string[] s_residualForm = ["e", "é", "ê", "ç"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(word.Replace("ã", "a~", StringComparison.Ordinal).Replace("õ", "o~", StringComparison.Ordinal));
        var pV = RomanceRegions.SpanishPortugueseRv(w, V);
        var (p1, p2) = RomanceRegions.R1R2(w, V);
        w.StartBackwards();

        var removed = StandardSuffix(w, pV, p1, p2);
        if (!removed)
        {
            w.Cursor = w.Limit;
            removed = w.SubstringB(pV, s_verbs) >= 0;
            if (removed)
            {
                w.SliceDel();
            }
        }

        w.Cursor = w.Limit;
        if (removed)
        {
            if (w.SliceEqB("i") && w.TestB("c") && pV <= w.Cursor)
            {
                w.SliceDel();
            }
        }
        else if (w.SubstringB(s_residual) >= 0 && pV <= w.Cursor)
        {
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        ResidualForm(w, pV);
        w.EndBackwards();
        return w.ToString().Replace("a~", "ã", StringComparison.Ordinal).Replace("o~", "õ", StringComparison.Ordinal);
    }

    private static bool StandardSuffix(SnowballWord w, int pV, int p1, int p2)
    {
        var among = w.SubstringB(s_standardSuffixes);
        if (among < 0)
        {
            return false;
        }

        var group = s_standard[among].Group;
        var region = group switch { 5 => p1, 9 => pV, _ => p2 };
        if (region > w.Cursor)
        {
            return false;
        }

        switch (group)
        {
            case 1:
                w.SliceDel();
                break;
            case 2:
                w.SliceFrom("log");
                break;
            case 3:
                w.SliceFrom("u");
                break;
            case 4:
                w.SliceFrom("ente");
                break;
            case 5:
            {
                w.SliceDel();
                var sub = w.SubstringB(s_amente);
                if (sub >= 0 && p2 <= w.Cursor)
                {
                    w.SliceDel();
                    if (sub == 0 && w.SliceEqB("at") && p2 <= w.Cursor)
                    {
                        w.SliceDel();
                    }
                }

                break;
            }

            case 6:
                w.SliceDel();
                if (w.SubstringB(s_mente) >= 0 && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
            case 7:
                w.SliceDel();
                if (w.SubstringB(s_idade) >= 0 && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
            case 8:
                w.SliceDel();
                if (w.SliceEqB("at") && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
            default:
                // -eira(s) is usually not a verb ending: only an -ira after e becomes -ir.
                if (!w.EqB("e"))
                {
                    return false;
                }

                w.SliceFrom("ir");
                break;
        }

        return true;
    }

    private static void ResidualForm(SnowballWord w, int pV)
    {
        var among = w.SubstringB(s_residualForm);
        if (among < 0)
        {
            return;
        }

        if (among == 3)
        {
            w.SliceFrom("c");
            return;
        }

        if (pV > w.Cursor)
        {
            return;
        }

        w.SliceDel();
        w.Ket = w.Cursor;
        var c = w.Cursor;
        var found = (w.EqB("u") && SetBra(w) && w.TestB("g")) || (Reset(w, c) && w.EqB("i") && SetBra(w) && w.TestB("c"));
        if (found && pV <= w.Cursor)
        {
            w.SliceDel();
        }
    }

    private static bool SetBra(SnowballWord w)
    {
        w.Bra = w.Cursor;
        return true;
    }

    private static bool Reset(SnowballWord w, int cursor)
    {
        w.Cursor = cursor;
        return true;
    }
}
