using System.Text;

namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball French stemmer (snowballstem.org/algorithms/french).</summary>
internal static class FrenchStemmer
{
    private const string V = "aeiouyâàëéêèïîôûù";
    private const string KeepWithS = "aiouès";

    // Standard suffixes by group; the group picks the action (see StandardSuffix).
    private static readonly (string Suffix, int Group)[] s_standard =
    [
        ("ance", 1), ("iqUe", 1), ("isme", 1), ("able", 1), ("iste", 1), ("eux", 1), ("ances", 1), ("iqUes", 1),
        ("ismes", 1), ("ables", 1), ("istes", 1),
        ("atrice", 2), ("ateur", 2), ("ation", 2), ("atrices", 2), ("ateurs", 2), ("ations", 2),
        ("logie", 3), ("logies", 3), ("usion", 4), ("ution", 4), ("usions", 4), ("utions", 4), ("ence", 5), ("ences", 5),
        ("ement", 6), ("ements", 6), ("ité", 7), ("ités", 7), ("if", 8), ("ive", 8), ("ifs", 8), ("ives", 8),
        ("eaux", 9), ("aux", 10), ("euse", 11), ("euses", 11), ("issement", 12), ("issements", 12), ("amment", 13),
        ("emment", 14), ("ment", 15), ("ments", 15),
    ];

    private static readonly string[] s_standardSuffixes = [.. s_standard.Select(s => s.Suffix)];
    private static readonly string[] s_ement = ["iv", "eus", "abl", "iqU", "ièr", "Ièr"];
    private static readonly string[] s_ite = ["abil", "ic", "iv"];

    private static readonly string[] s_iVerbs =
    [
        "îmes", "ît", "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait", "iras", "irent", "irez",
        "iriez", "irions", "irons", "iront", "is", "issaIent", "issais", "issait", "issant", "issante", "issantes",
        "issants", "isse", "issent", "isses", "issez", "issiez", "issions", "issons", "it",
    ];

    // "ions" first, then the endings simply removed (through "iez"), then those that may take a preceding e with them.
    private static readonly string[] s_verbs =
    [
        "ions",
        "é", "ée", "ées", "és", "èrent", "er", "era", "erai", "eraIent", "erais", "erait", "eras", "erez", "eriez",
        "erions", "erons", "eront", "ez", "iez",
        "âmes", "ât", "âtes", "a", "ai", "aIent", "ais", "ait", "ant", "ante", "antes", "ants", "as", "asse", "assent",
        "asses", "assiez", "assions",
    ];

    private static readonly string[] s_residual = ["ion", "ier", "ière", "Ier", "Ière", "e"];
    private static readonly string[] s_doubles = ["enn", "onn", "ett", "ell", "eill"];
    private static readonly string[] s_pVExceptions = ["par", "col", "tap"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(Prelude(word));
        var pV = MarkRv(w);
        var (p1, p2) = RomanceRegions.R1R2(w, V);
        w.StartBackwards();

        if (StandardSuffix(w, pV, p1, p2) || Restart(w) && IVerbSuffix(w, pV) || Restart(w) && VerbSuffix(w, p2, pV))
        {
            w.Cursor = w.Limit;
            if (w.SliceEqB("Y"))
            {
                w.SliceFrom("i");
            }
            else if (Restart(w) && w.SliceEqB("ç"))
            {
                w.SliceFrom("c");
            }
        }
        else
        {
            w.Cursor = w.Limit;
            ResidualSuffix(w, pV, p2);
        }

        w.Cursor = w.Limit;
        if (w.FindAmongB(s_doubles) >= 0)
        {
            w.Ket = w.Limit;
            w.Bra = w.Limit - 1;
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        UnAccent(w);
        w.EndBackwards();
        return Postlude(w.ToString());
    }

    private static bool Restart(SnowballWord w)
    {
        w.Cursor = w.Limit;
        return true;
    }

    // Marks vowels that act as consonants (U, I, Y) and splits ë and ï into He and Hi, position by position.
    private static string Prelude(string word)
    {
        var s = new StringBuilder(word);
        var p = 0;
        while (p < s.Length)
        {
            if (!Mark(s, p))
            {
                p++;
            }
        }

        return s.ToString();
    }

    private static bool Mark(StringBuilder s, int p)
    {
        var c = s[p];
        char Next(int i) => p + i < s.Length ? s[p + i] : '\0';
        if (V.Contains(c))
        {
            var n = Next(1);
            if (n is 'u' or 'i' && V.Contains(Next(2)) && Next(2) != '\0')
            {
                s[p + 1] = char.ToUpperInvariant(n);
                return true;
            }

            if (n == 'y')
            {
                s[p + 1] = 'Y';
                return true;
            }
        }

        switch (c)
        {
            case 'ë':
                s[p] = 'H';
                s.Insert(p + 1, 'e');
                return true;
            case 'ï':
                s[p] = 'H';
                s.Insert(p + 1, 'i');
                return true;
            case 'y' when Next(1) != '\0' && V.Contains(Next(1)):
                s[p] = 'Y';
                return true;
            case 'q' when Next(1) == 'u':
                s[p + 1] = 'U';
                return true;
            default:
                return false;
        }
    }

    private static int MarkRv(SnowballWord w)
    {
        var pV = w.Limit;
        w.Cursor = 0;
        if ((w.InGrouping(V) && w.InGrouping(V) && w.Next()) || (Reset(w) && w.FindAmong(s_pVExceptions) >= 0) || (Reset(w) && w.Next() && w.GoPast(V)))
        {
            pV = w.Cursor;
        }

        w.Cursor = 0;
        return pV;
    }

    private static bool Reset(SnowballWord w)
    {
        w.Cursor = 0;
        return true;
    }

    private static bool StandardSuffix(SnowballWord w, int pV, int p1, int p2)
    {
        var among = w.SubstringB(s_standardSuffixes);
        if (among < 0)
        {
            return false;
        }

        bool R1() => p1 <= w.Cursor;
        bool R2() => p2 <= w.Cursor;
        bool Rv() => pV <= w.Cursor;
        switch (s_standard[among].Group)
        {
            case 1:
                return R2() && Delete(w);
            case 2:
                if (!R2())
                {
                    return false;
                }

                w.SliceDel();
                if (w.SliceEqB("ic"))
                {
                    DeleteOr(w, R2(), "iqU");
                }

                return true;
            case 3:
                return R2() && Replace(w, "log");
            case 4:
                return R2() && Replace(w, "u");
            case 5:
                return R2() && Replace(w, "ent");
            case 6:
            {
                if (!Rv())
                {
                    return false;
                }

                w.SliceDel();
                switch (w.SubstringB(s_ement))
                {
                    case 0:
                        if (R2())
                        {
                            w.SliceDel();
                            if (w.SliceEqB("at") && R2())
                            {
                                w.SliceDel();
                            }
                        }

                        break;
                    case 1:
                        if (R2())
                        {
                            w.SliceDel();
                        }
                        else if (R1())
                        {
                            w.SliceFrom("eux");
                        }

                        break;
                    case 2 or 3:
                        if (R2())
                        {
                            w.SliceDel();
                        }

                        break;
                    case 4 or 5:
                        if (Rv())
                        {
                            w.SliceFrom("i");
                        }

                        break;
                }

                return true;
            }

            case 7:
                if (!R2())
                {
                    return false;
                }

                w.SliceDel();
                switch (w.SubstringB(s_ite))
                {
                    case 0:
                        DeleteOr(w, R2(), "abl");
                        break;
                    case 1:
                        DeleteOr(w, R2(), "iqU");
                        break;
                    case 2:
                        if (R2())
                        {
                            w.SliceDel();
                        }

                        break;
                }

                return true;
            case 8:
                if (!R2())
                {
                    return false;
                }

                w.SliceDel();
                if (w.SliceEqB("at") && R2())
                {
                    w.SliceDel();
                    if (w.SliceEqB("ic"))
                    {
                        DeleteOr(w, R2(), "iqU");
                    }
                }

                return true;
            case 9:
                return Replace(w, "eau");
            case 10:
                return R1() && Replace(w, "al");
            case 11:
                if (R2())
                {
                    return Delete(w);
                }

                return R1() && Replace(w, "eux");
            case 12:
                return R1() && w.OutGroupingB(V) && Delete(w);
            case 13 or 14:
                // Rewritten to -ant or -ent, then treated as a verb ending: the step "fails" on purpose.
                if (Rv())
                {
                    w.SliceFrom(s_standard[among].Group == 13 ? "ant" : "ent");
                }

                return false;
            default:
            {
                var c = w.Cursor;
                if (w.InGroupingB(V) && Rv())
                {
                    w.Cursor = c;
                    w.SliceDel();
                }

                return false;
            }
        }
    }

    private static bool IVerbSuffix(SnowballWord w, int pV)
    {
        if (w.Cursor < pV)
        {
            return false;
        }

        var saved = w.LimitBackward;
        w.LimitBackward = pV;
        var done = w.SubstringB(s_iVerbs) >= 0 && !w.TestB("H") && w.OutGroupingB(V) && Delete(w);
        w.LimitBackward = saved;
        return done;
    }

    private static bool VerbSuffix(SnowballWord w, int p2, int pV)
    {
        if (w.Cursor < pV)
        {
            return false;
        }

        var saved = w.LimitBackward;
        w.LimitBackward = pV;
        var among = w.SubstringB(s_verbs);
        var done = among >= 0;
        if (among == 0)
        {
            done = p2 <= w.Cursor && Delete(w);
        }
        else if (among > 0)
        {
            w.SliceDel();
            if (among >= 20 && w.SliceEqB("e"))
            {
                w.SliceDel();
            }
        }

        w.LimitBackward = saved;
        return done;
    }

    private static void ResidualSuffix(SnowballWord w, int pV, int p2)
    {
        if (w.SliceEqB("s"))
        {
            var c = w.Cursor;
            if (w.TestB("Hi") || w.OutGroupingB(KeepWithS))
            {
                w.Cursor = c;
                w.SliceDel();
            }
        }

        w.Cursor = w.Limit;
        if (w.Cursor < pV)
        {
            return;
        }

        var saved = w.LimitBackward;
        w.LimitBackward = pV;
        switch (w.SubstringB(s_residual))
        {
            case 0:
                if (p2 <= w.Cursor && (w.TestB("s") || w.TestB("t")) && w.HopB(1))
                {
                    w.SliceDel();
                }

                break;
            case 1 or 2 or 3 or 4:
                w.SliceFrom("i");
                break;
            case 5:
                w.SliceDel();
                break;
        }

        w.LimitBackward = saved;
    }

    // A final é or è after one or more consonants loses its accent.
    private static void UnAccent(SnowballWord w)
    {
        if (!w.OutGroupingB(V))
        {
            return;
        }

        while (w.OutGroupingB(V))
        {
        }

        w.Ket = w.Cursor;
        if (w.EqB("é") || w.EqB("è"))
        {
            w.Bra = w.Cursor;
            w.SliceFrom("e");
        }
    }

    private static string Postlude(string word)
    {
        var s = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            switch (c)
            {
                case 'I':
                    s.Append('i');
                    break;
                case 'U':
                    s.Append('u');
                    break;
                case 'Y':
                    s.Append('y');
                    break;
                case 'H' when i + 1 < word.Length && word[i + 1] == 'e':
                    s.Append('ë');
                    i++;
                    break;
                case 'H' when i + 1 < word.Length && word[i + 1] == 'i':
                    s.Append('ï');
                    i++;
                    break;
                case 'H':
                    break;
                default:
                    s.Append(c);
                    break;
            }
        }

        return s.ToString();
    }

    private static bool Delete(SnowballWord w)
    {
        w.SliceDel();
        return true;
    }

    private static bool Replace(SnowballWord w, string s)
    {
        w.SliceFrom(s);
        return true;
    }

    private static void DeleteOr(SnowballWord w, bool inR2, string replacement)
    {
        if (inR2)
        {
            w.SliceDel();
        }
        else
        {
            w.SliceFrom(replacement);
        }
    }
}
