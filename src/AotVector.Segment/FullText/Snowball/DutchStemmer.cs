namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Dutch stemmer (snowballstem.org/algorithms/dutch).</summary>
internal static class DutchStemmer
{
    private const string V = "aeiouyè";
    private const string VI = V + "I";
    private const string VJ = V + "j";

    private static readonly string[] s_step1 = ["heden", "en", "ene", "s", "se"];
    private static readonly string[] s_doubles = ["kk", "dd", "tt"];
    private static readonly string[] s_step3b = ["end", "ing", "ig", "lijk", "baar", "bar"];
    private static readonly string[] s_longVowels = ["aa", "ee", "oo", "uu"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(Prelude(word));
        var (p1, p2) = MarkRegions(w);
        w.StartBackwards();
        StandardSuffix(w, p1, p2);
        w.EndBackwards();
        return w.ToString().Replace('Y', 'y').Replace('I', 'i');
    }

    // Accents go; an initial y, a y after a vowel and an i between vowels become Y and I (consonants from then on).
    private static string Prelude(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                'ä' or 'á' => 'a',
                'ë' or 'é' => 'e',
                'ï' or 'í' => 'i',
                'ö' or 'ó' => 'o',
                'ü' or 'ú' => 'u',
                _ => chars[i],
            };
        }

        if (chars.Length > 0 && chars[0] == 'y')
        {
            chars[0] = 'Y';
        }

        for (var i = 1; i < chars.Length; i++)
        {
            if (!V.Contains(chars[i - 1]))
            {
                continue;
            }

            if (chars[i] == 'i' && i + 1 < chars.Length && V.Contains(chars[i + 1]))
            {
                chars[i] = 'I';
            }
            else if (chars[i] == 'y')
            {
                chars[i] = 'Y';
            }
        }

        return new string(chars);
    }

    private static (int P1, int P2) MarkRegions(SnowballWord w)
    {
        int p1 = w.Limit, p2 = w.Limit;
        w.Cursor = 0;
        if (w.GoPast(V) && w.GoPast(V, inside: false))
        {
            p1 = Math.Max(w.Cursor, 3);
            if (w.GoPast(V) && w.GoPast(V, inside: false))
            {
                p2 = w.Cursor;
            }
        }

        w.Cursor = 0;
        return (p1, p2);
    }

    private static void StandardSuffix(SnowballWord w, int p1, int p2)
    {
        var among = w.SubstringB(s_step1);
        if (among >= 0 && p1 <= w.Cursor)
        {
            switch (among)
            {
                case 0:
                    w.SliceFrom("heid");
                    break;
                case 1 or 2:
                    EnEnding(w, p1);
                    break;
                default:
                    if (w.OutGroupingB(VJ))
                    {
                        w.SliceDel();
                    }

                    break;
            }
        }

        w.Cursor = w.Limit;
        var eFound = EEnding(w, p1);

        w.Cursor = w.Limit;
        if (w.SliceEqB("heid") && p2 <= w.Cursor && !w.TestB("c"))
        {
            w.SliceDel();
            if (w.SliceEqB("en"))
            {
                EnEnding(w, p1);
            }
        }

        w.Cursor = w.Limit;
        among = w.SubstringB(s_step3b);
        if (among >= 0 && p2 <= w.Cursor)
        {
            switch (among)
            {
                case 0 or 1:
                {
                    w.SliceDel();
                    var c = w.Cursor;
                    if (!(w.SliceEqB("ig") && p2 <= w.Cursor && !w.TestB("e")))
                    {
                        w.Cursor = c;
                        Undouble(w);
                    }
                    else
                    {
                        w.SliceDel();
                    }

                    break;
                }

                case 2:
                    if (!w.TestB("e"))
                    {
                        w.SliceDel();
                    }

                    break;
                case 3:
                    w.SliceDel();
                    EEnding(w, p1);
                    break;
                case 4:
                    w.SliceDel();
                    break;
                default:
                    if (eFound)
                    {
                        w.SliceDel();
                    }

                    break;
            }
        }

        // A long vowel before a final consonant is shortened: "maan" becomes "man".
        w.Cursor = w.Limit;
        if (w.OutGroupingB(VI))
        {
            var c = w.Cursor;
            if (w.FindAmongB(s_longVowels) >= 0 && w.OutGroupingB(V))
            {
                w.Cursor = c;
                w.Ket = c;
                w.Bra = c - 1;
                w.SliceDel();
            }
        }
    }

    // The slice is -en or -ene: removed after a consonant that does not end "gem", then a final kk, dd or tt undoubled.
    private static void EnEnding(SnowballWord w, int p1)
    {
        if (p1 > w.Cursor)
        {
            return;
        }

        var c = w.Cursor;
        if (!w.OutGroupingB(V))
        {
            return;
        }

        w.Cursor = c;
        if (w.TestB("gem"))
        {
            return;
        }

        w.SliceDel();
        Undouble(w);
    }

    // Removes a final e in R1 after a consonant (then undoubles); whether it did decides the -bar rule.
    private static bool EEnding(SnowballWord w, int p1)
    {
        if (!w.SliceEqB("e") || p1 > w.Cursor)
        {
            return false;
        }

        var c = w.Cursor;
        if (!w.OutGroupingB(V))
        {
            return false;
        }

        w.Cursor = c;
        w.SliceDel();
        Undouble(w);
        return true;
    }

    private static void Undouble(SnowballWord w)
    {
        var c = w.Cursor;
        if (w.FindAmongB(s_doubles) < 0)
        {
            return;
        }

        w.Cursor = c;
        w.Ket = c;
        w.Bra = c - 1;
        w.SliceDel();
    }
}
