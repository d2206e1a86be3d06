namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Finnish stemmer (snowballstem.org/algorithms/finnish).</summary>
internal static class FinnishStemmer
{
    private const string Aei = "aäei";
    private const string C = "bcdfghjklmnpqrstvwxz";
    private const string V1 = "aeiouyäö";
    private const string V2 = "aeiouäö";
    private const string ParticleEnd = V1 + "nt";

    private static readonly string[] s_particles = ["kin", "kaan", "kään", "ko", "kö", "han", "hän", "pa", "pä", "sti"];
    private static readonly string[] s_possessives = ["si", "ni", "nsa", "nsä", "mme", "nne", "an", "än", "en"];
    private static readonly string[] s_anCases = ["ta", "ssa", "sta", "lla", "lta", "na"];
    private static readonly string[] s_änCases = ["tä", "ssä", "stä", "llä", "ltä", "nä"];
    private static readonly string[] s_enCases = ["lle", "ine"];
    private static readonly string[] s_long = ["aa", "ee", "ii", "oo", "uu", "ää", "öö"];

    private static readonly string[] s_cases =
    [
        "han", "hen", "hin", "hon", "hän", "hön", // illative, after the same vowel
        "siin", "seen", "den", "tten", // 6..9: conditions checked while matching
        "n", // 10
        "a", "ä", // 11, 12
        "tta", "ttä", // 13, 14
        "ta", "tä", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "na", "nä", "ksi", "ine",
    ];

    private static readonly string[] s_other =
    [
        "mpi", "mpa", "mpä", "mmi", "mma", "mmä", "impi", "impa", "impä", "immi", "imma", "immä", "eja", "ejä",
    ];

    private static readonly string[] s_iPlural = ["i", "j"];
    private static readonly string[] s_tPlural = ["mma", "imma"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(word);
        var (p1, p2) = MarkRegions(w);
        w.StartBackwards();

        ParticleEtc(w, p1, p2);
        w.Cursor = w.Limit;
        Possessive(w, p1);
        w.Cursor = w.Limit;
        var endingRemoved = CaseEnding(w, p1);
        w.Cursor = w.Limit;
        if (w.SubstringB(p2, s_other) is var other && other >= 0 && (other >= 6 || !w.TestB("po")))
        {
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        if (endingRemoved)
        {
            if (w.SubstringB(p1, s_iPlural) >= 0)
            {
                w.SliceDel();
            }
        }
        else
        {
            TPlural(w, p1, p2);
        }

        w.Cursor = w.Limit;
        Tidy(w, p1);
        w.EndBackwards();
        return w.ToString();
    }

    private static (int P1, int P2) MarkRegions(SnowballWord w)
    {
        int p1 = w.Limit, p2 = w.Limit;
        w.Cursor = 0;
        if (w.GoTo(V1) && w.GoPast(V1, inside: false))
        {
            p1 = w.Cursor;
            if (w.GoTo(V1) && w.GoPast(V1, inside: false))
            {
                p2 = w.Cursor;
            }
        }

        w.Cursor = 0;
        return (p1, p2);
    }

    private static void ParticleEtc(SnowballWord w, int p1, int p2)
    {
        var among = w.SubstringB(p1, s_particles);
        if (among >= 0 && (among < 9 ? w.InGroupingB(ParticleEnd) : p2 <= w.Cursor))
        {
            w.SliceDel();
        }
    }

    private static void Possessive(SnowballWord w, int p1)
    {
        switch (w.SubstringB(p1, s_possessives))
        {
            case 0:
                if (!w.TestB("k"))
                {
                    w.SliceDel();
                }

                break;
            case 1:
                w.SliceDel();
                if (w.SliceEqB("kse"))
                {
                    w.SliceFrom("ksi");
                }

                break;
            case 2 or 3 or 4 or 5:
                w.SliceDel();
                break;
            case 6:
                DeleteAfter(w, s_anCases);
                break;
            case 7:
                DeleteAfter(w, s_änCases);
                break;
            case 8:
                DeleteAfter(w, s_enCases);
                break;
        }
    }

    private static void DeleteAfter(SnowballWord w, string[] preceding)
    {
        if (w.FindAmongB(preceding) >= 0)
        {
            w.SliceDel();
        }
    }

    private static bool CaseEnding(SnowballWord w, int p1)
    {
        var among = w.SubstringB(p1, s_cases, i => i switch
        {
            6 or 8 or 9 => Vi(w),
            7 => Long(w),
            _ => true,
        });
        if (among < 0)
        {
            return false;
        }

        switch (among)
        {
            case < 6:
                if (!w.EqB(s_cases[among][1..2]))
                {
                    return false;
                }

                break;
            case 10:
            {
                // An illative after a long vowel or a genitive after -ie takes that vowel's last letter with it.
                var c = w.Cursor;
                if (Long(w) || (Reset(w, c) && w.EqB("ie")))
                {
                    w.Cursor = c;
                    if (w.NextB())
                    {
                        w.Bra = w.Cursor;
                    }
                }

                break;
            }

            case 11 or 12:
                if (!(w.InGroupingB(V1) && w.InGroupingB(C)))
                {
                    return false;
                }

                break;
            case 13 or 14:
                if (!w.EqB("e"))
                {
                    return false;
                }

                break;
        }

        w.SliceDel();
        return true;
    }

    private static void TPlural(SnowballWord w, int p1, int p2)
    {
        if (w.Cursor < p1)
        {
            return;
        }

        var saved = w.LimitBackward;
        w.LimitBackward = p1;
        var removed = w.SliceEqB("t") && FollowsVowel(w);
        if (removed)
        {
            w.SliceDel();
        }

        w.LimitBackward = saved;
        if (!removed)
        {
            return;
        }

        w.Cursor = w.Limit;
        var among = w.SubstringB(p2, s_tPlural);
        if (among == 1 || (among == 0 && !w.TestB("po")))
        {
            w.SliceDel();
        }
    }

    private static void Tidy(SnowballWord w, int p1)
    {
        if (w.Cursor >= p1)
        {
            var saved = w.LimitBackward;
            w.LimitBackward = p1;
            if (Long(w))
            {
                w.Cursor = w.Limit;
                w.Ket = w.Limit;
                w.Bra = w.Limit - 1;
                w.SliceDel();
            }

            w.Cursor = w.Limit;
            w.Ket = w.Cursor;
            if (w.InGroupingB(Aei) && SetBra(w) && w.InGroupingB(C))
            {
                w.SliceDel();
            }

            w.Cursor = w.Limit;
            if (w.SliceEqB("j") && (w.EqB("o") || w.EqB("u")))
            {
                w.SliceDel();
            }

            w.Cursor = w.Limit;
            if (w.SliceEqB("o") && w.EqB("j"))
            {
                w.SliceDel();
            }

            w.LimitBackward = saved;
        }

        // Undoubles the last consonant before any final vowels.
        w.Cursor = w.Limit;
        if (w.GoToB(V1, inside: false))
        {
            w.Ket = w.Cursor;
            if (w.InGroupingB(C))
            {
                w.Bra = w.Cursor;
                if (w.EqB(w.Slice()))
                {
                    w.SliceDel();
                }
            }
        }
    }

    // LONG: a doubled vowel just before the cursor (which stays).
    private static bool Long(SnowballWord w)
    {
        var c = w.Cursor;
        var ok = w.FindAmongB(s_long) >= 0;
        w.Cursor = c;
        return ok;
    }

    private static bool FollowsVowel(SnowballWord w)
    {
        var c = w.Cursor;
        var ok = w.InGroupingB(V1);
        w.Cursor = c;
        return ok;
    }

    // VI: an i after a vowel (V2) just before the cursor.
    private static bool Vi(SnowballWord w)
    {
        var c = w.Cursor;
        var ok = w.EqB("i") && w.InGroupingB(V2);
        w.Cursor = c;
        return ok;
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
