namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Spanish stemmer (snowballstem.org/algorithms/spanish).</summary>
internal static class SpanishStemmer
{
    private const string V = "aeiouáéíóúü";

    private static readonly string[] s_pronouns = ["me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos"];
    private static readonly string[] s_pronounVerbs = ["iéndo", "ándo", "ár", "ér", "ír", "ando", "iendo", "ar", "er", "ir", "yendo"];
    private static readonly string[] s_pronounVerbReplacements = ["iendo", "ando", "ar", "er", "ir"];

    // The standard suffixes by group; the group picks the action.
    private static readonly (string Suffix, int Group)[] s_standard =
    [
        ("anza", 1), ("anzas", 1), ("ico", 1), ("ica", 1), ("icos", 1), ("icas", 1), ("ismo", 1), ("ismos", 1),
        ("able", 1), ("ables", 1), ("ible", 1), ("ibles", 1), ("ista", 1), ("istas", 1), ("oso", 1), ("osa", 1),
        ("osos", 1), ("osas", 1), ("amiento", 1), ("amientos", 1), ("imiento", 1), ("imientos", 1),
        ("adora", 2), ("ador", 2), ("ación", 2), ("adoras", 2), ("adores", 2), ("aciones", 2), ("ante", 2),
        ("antes", 2), ("ancia", 2), ("ancias", 2),
        ("logía", 3), ("logías", 3), ("ución", 4), ("uciones", 4), ("encia", 5), ("encias", 5), ("amente", 6),
        ("mente", 7), ("idad", 8), ("idades", 8), ("iva", 9), ("ivo", 9), ("ivas", 9), ("ivos", 9),
    ];

    private static readonly string[] s_standardSuffixes = [.. s_standard.Select(s => s.Suffix)];
    private static readonly string[] s_amente = ["iv", "os", "ic", "ad"];
    private static readonly string[] s_mente = ["ante", "able", "ible"];
    private static readonly string[] s_idad = ["abil", "ic", "iv"];
    private static readonly string[] s_yVerbs = ["ya", "ye", "yan", "yen", "yeron", "yendo", "yo", "yó", "yas", "yes", "yais", "yamos"];

    // The first four keep a preceding "gu"'s u when it is not part of the ending.
    private static readonly string[] s_verbs =
    [
        "en", "es", "éis", "emos",
        "arían", "arías", "arán", "arás", "aríais", "aría", "aréis", "aríamos", "aremos", "ará", "aré",
        "erían", "erías", "erán", "erás", "eríais", "ería", "eréis", "eríamos", "eremos", "erá", "eré",
        "irían", "irías", "irán", "irás", "iríais", "iría", "iréis", "iríamos", "iremos", "irá", "iré",
        "aba", "ada", "ida", "ía", "ara", "iera", "ad", "ed", "id", "ase", "iese", "aste", "iste", "an", "aban", "ían",
        "aran", "ieran", "asen", "iesen", "aron", "ieron", "ado", "ido", "ando", "iendo", "ió", "ar", "er", "ir", "as",
        "abas", "adas", "idas", "ías", "aras", "ieras", "ases", "ieses", "ís", "áis", "abais", "íais", "arais",
        "ierais", "aseis", "ieseis", "asteis", "isteis", "ados", "idos", "amos", "ábamos", "íamos", "imos",
        "áramos", "iéramos", "iésemos", "ásemos",
    ];

    private static readonly string[] s_residual = ["os", "a", "o", "á", "í", "ó", "e", "é"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(word);
        var (pV, p1, p2) = MarkRegions(w);
        w.StartBackwards();
        AttachedPronoun(w, pV);
        w.Cursor = w.Limit;
        if (!StandardSuffix(w, p1, p2))
        {
            w.Cursor = w.Limit;
            if (!YVerbSuffix(w, pV))
            {
                w.Cursor = w.Limit;
                VerbSuffix(w, pV);
            }
        }

        w.Cursor = w.Limit;
        ResidualSuffix(w, pV);
        w.EndBackwards();
        return RomanceRegions.RemoveAcutes(w.ToString());
    }

    private static (int PV, int P1, int P2) MarkRegions(SnowballWord w)
    {
        var pV = RomanceRegions.SpanishPortugueseRv(w, V);
        var (p1, p2) = RomanceRegions.R1R2(w, V);
        return (pV, p1, p2);
    }

    private static void AttachedPronoun(SnowballWord w, int pV)
    {
        if (w.SubstringB(s_pronouns) < 0)
        {
            return;
        }

        var among = w.FindAmongB(s_pronounVerbs);
        if (among < 0 || pV > w.Cursor)
        {
            return;
        }

        if (among < 5)
        {
            w.Bra = w.Cursor;
            w.SliceFrom(s_pronounVerbReplacements[among]);
        }
        else if (among < 10 || w.EqB("u"))
        {
            w.SliceDel();
        }
    }

    private static bool StandardSuffix(SnowballWord w, int p1, int p2)
    {
        var among = w.SubstringB(s_standardSuffixes);
        if (among < 0)
        {
            return false;
        }

        var group = s_standard[among].Group;
        if (group == 6 ? p1 > w.Cursor : p2 > w.Cursor)
        {
            return false;
        }

        switch (group)
        {
            case 1:
                w.SliceDel();
                break;
            case 2:
                w.SliceDel();
                if (w.SliceEqB("ic") && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
            case 3:
                w.SliceFrom("log");
                break;
            case 4:
                w.SliceFrom("u");
                break;
            case 5:
                w.SliceFrom("ente");
                break;
            case 6:
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

            case 7:
                w.SliceDel();
                if (w.SubstringB(s_mente) >= 0 && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
            case 8:
                w.SliceDel();
                if (w.SubstringB(s_idad) >= 0 && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
            default:
                w.SliceDel();
                if (w.SliceEqB("at") && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
        }

        return true;
    }

    private static bool YVerbSuffix(SnowballWord w, int pV)
    {
        if (w.SubstringB(pV, s_yVerbs) < 0 || !w.EqB("u"))
        {
            return false;
        }

        w.SliceDel();
        return true;
    }

    private static void VerbSuffix(SnowballWord w, int pV)
    {
        var among = w.SubstringB(pV, s_verbs);
        if (among < 0)
        {
            return;
        }

        if (among < 4)
        {
            var c = w.Cursor;
            if (w.EqB("u") && w.TestB("g"))
            {
                w.Bra = w.Cursor;
            }
            else
            {
                w.Cursor = c;
            }
        }

        w.SliceDel();
    }

    private static void ResidualSuffix(SnowballWord w, int pV)
    {
        var among = w.SubstringB(s_residual);
        if (among < 0 || pV > w.Cursor)
        {
            return;
        }

        w.SliceDel();
        if (among >= 6 && w.SliceEqB("u") && w.TestB("g") && pV <= w.Cursor)
        {
            w.SliceDel();
        }
    }
}
