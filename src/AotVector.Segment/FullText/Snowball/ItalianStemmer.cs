namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Italian stemmer (snowballstem.org/algorithms/italian).</summary>
internal static class ItalianStemmer
{
    private const string V = "aeiouàèìòù";
    private const string Aeio = "aeioàèìò";

    private static readonly string[] s_pronouns =
    [
        "ci", "gli", "la", "le", "li", "lo", "mi", "ne", "si", "ti", "vi", "sene", "gliela", "gliele", "glieli", "glielo",
        "gliene", "mela", "mele", "meli", "melo", "mene", "tela", "tele", "teli", "telo", "tene", "cela", "cele", "celi",
        "celo", "cene", "vela", "vele", "veli", "velo", "vene",
    ];

    private static readonly string[] s_pronounVerbs = ["ando", "endo", "ar", "er", "ir"];

    private static readonly (string Suffix, int Group)[] s_standard =
    [
        ("anza", 1), ("anze", 1), ("ico", 1), ("ici", 1), ("ica", 1), ("ice", 1), ("iche", 1), ("ichi", 1), ("ismo", 1),
        ("ismi", 1), ("abile", 1), ("abili", 1), ("ibile", 1), ("ibili", 1), ("ista", 1), ("iste", 1), ("isti", 1),
        ("istà", 1), ("istè", 1), ("istì", 1), ("oso", 1), ("osi", 1), ("osa", 1), ("ose", 1), ("mente", 1),
        ("atrice", 1), ("atrici", 1), ("ante", 1), ("anti", 1),
        ("azione", 2), ("azioni", 2), ("atore", 2), ("atori", 2),
        ("logia", 3), ("logie", 3), ("uzione", 4), ("uzioni", 4), ("usione", 4), ("usioni", 4), ("enza", 5), ("enze", 5),
        ("amento", 6), ("amenti", 6), ("imento", 6), ("imenti", 6), ("amente", 7), ("ità", 8),
        ("ivo", 9), ("ivi", 9), ("iva", 9), ("ive", 9),
    ];

    private static readonly string[] s_standardSuffixes = [.. s_standard.Select(s => s.Suffix)];
    private static readonly string[] s_amente = ["iv", "os", "ic", "abil"];
    private static readonly string[] s_ita = ["abil", "ic", "iv"];

    // As published, including "Yamo", which no word can end with.
    private static readonly string[] s_verbs =
    [
        "ammo", "ando", "ano", "are", "arono", "asse", "assero", "assi", "assimo", "ata", "ate", "ati", "ato", "ava",
        "avamo", "avano", "avate", "avi", "avo", "emmo", "enda", "ende", "endi", "endo", "erà", "erai", "eranno", "ere",
        "erebbe", "erebbero", "erei", "eremmo", "eremo", "ereste", "eresti", "erete", "erò", "erono", "essero", "ete",
        "eva", "evamo", "evano", "evate", "evi", "evo", "Yamo", "iamo", "immo", "irà", "irai", "iranno", "ire", "irebbe",
        "irebbero", "irei", "iremmo", "iremo", "ireste", "iresti", "irete", "irò", "irono", "isca", "iscano", "isce",
        "isci", "isco", "iscono", "issero", "ita", "ite", "iti", "ito", "iva", "ivamo", "ivano", "ivate", "ivi", "ivo",
        "ono", "uta", "ute", "uti", "uto", "ar", "ir",
    ];

    public static string Stem(string word)
    {
        var w = new SnowballWord(Prelude(word));
        var pV = RomanceRegions.SpanishPortugueseRv(w, V);
        var (p1, p2) = RomanceRegions.R1R2(w, V);
        w.StartBackwards();
        AttachedPronoun(w, pV);
        w.Cursor = w.Limit;
        if (!StandardSuffix(w, pV, p1, p2))
        {
            w.Cursor = w.Limit;
            if (w.SubstringB(pV, s_verbs) >= 0)
            {
                w.SliceDel();
            }
        }

        w.Cursor = w.Limit;
        VowelSuffix(w, pV);
        w.EndBackwards();
        return w.ToString().Replace('I', 'i').Replace('U', 'u');
    }

    // Acute vowels become grave, the u of qu and a u or i between vowels become U and I (consonants from then on).
    private static string Prelude(string word)
    {
        var chars = word.Replace("qu", "qU", StringComparison.Ordinal).ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                'á' => 'à',
                'é' => 'è',
                'í' => 'ì',
                'ó' => 'ò',
                'ú' => 'ù',
                _ => chars[i],
            };
        }

        for (var i = 1; i + 1 < chars.Length; i++)
        {
            if (chars[i] is 'u' or 'i' && V.Contains(chars[i - 1]) && V.Contains(chars[i + 1]))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
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

        if (among < 2)
        {
            w.SliceDel();
        }
        else
        {
            w.SliceFrom("e");
        }
    }

    private static bool StandardSuffix(SnowballWord w, int pV, int p1, int p2)
    {
        var among = w.SubstringB(s_standardSuffixes);
        if (among < 0)
        {
            return false;
        }

        var group = s_standard[among].Group;
        var region = group switch { 6 => pV, 7 => p1, _ => p2 };
        if (region > w.Cursor)
        {
            return false;
        }

        switch (group)
        {
            case 1 or 6:
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
            case 7:
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

            case 8:
                w.SliceDel();
                if (w.SubstringB(s_ita) >= 0 && p2 <= w.Cursor)
                {
                    w.SliceDel();
                }

                break;
            default:
                w.SliceDel();
                if (w.SliceEqB("at") && p2 <= w.Cursor)
                {
                    w.SliceDel();
                    if (w.SliceEqB("ic") && p2 <= w.Cursor)
                    {
                        w.SliceDel();
                    }
                }

                break;
        }

        return true;
    }

    private static void VowelSuffix(SnowballWord w, int pV)
    {
        w.Ket = w.Cursor;
        if (w.InGroupingB(Aeio) && SetBra(w) && pV <= w.Cursor)
        {
            w.SliceDel();
            if (w.SliceEqB("i") && pV <= w.Cursor)
            {
                w.SliceDel();
            }
        }

        w.Cursor = w.Limit;
        if (w.SliceEqB("h") && (w.EqB("c") || w.EqB("g")) && pV <= w.Cursor)
        {
            w.SliceDel();
        }
    }

    private static bool SetBra(SnowballWord w)
    {
        w.Bra = w.Cursor;
        return true;
    }
}
