namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball German stemmer (snowballstem.org/algorithms/german), transcribed step by step.</summary>
internal static class GermanStemmer
{
    private const string V = "aeiouyäöü";
    private const string SEnding = "bdfghklmnrt";
    private const string StEnding = "bdfghklmnt";

    private static readonly string[] s_step1 = ["em", "ern", "er", "e", "en", "es", "s"];
    private static readonly string[] s_step2 = ["en", "er", "est", "st"];
    private static readonly string[] s_step3 = ["end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"];
    private static readonly string[] s_erEn = ["er", "en"];
    private static readonly string[] s_lichIg = ["lich", "ig"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(word.Replace("ß", "ss", StringComparison.Ordinal));
        Prelude(w);
        var (p1, p2) = MarkRegions(w);
        w.StartBackwards();
        StandardSuffix(w, p1, p2);
        w.EndBackwards();
        return Postlude(w.ToString());
    }

    // u and y between vowels become U and Y (consonants to the rest of the algorithm).
    private static void Prelude(SnowballWord w)
    {
        var chars = w.ToString().ToCharArray();
        for (var i = 1; i + 1 < chars.Length; i++)
        {
            if (chars[i] is 'u' or 'y' && V.Contains(chars[i - 1]) && V.Contains(chars[i + 1]))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        w.Cursor = 0;
        w.Bra = 0;
        w.Ket = w.Length;
        w.SliceFrom(new string(chars));
        w.Cursor = 0;
    }

    private static (int P1, int P2) MarkRegions(SnowballWord w)
    {
        int p1 = w.Limit, p2 = w.Limit;
        if (w.Limit < 3)
        {
            return (p1, p2);
        }

        w.Cursor = 0;
        if (w.GoPast(V) && w.GoPast(V, inside: false))
        {
            // R1 leaves at least three letters before it.
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
                case 0 or 1 or 2:
                    w.SliceDel();
                    break;
                case 3 or 4 or 5:
                    w.SliceDel();
                    if (w.SliceEqB("s") && w.EqB("nis"))
                    {
                        w.SliceDel();
                    }

                    break;
                default:
                    if (w.InGroupingB(SEnding))
                    {
                        w.SliceDel();
                    }

                    break;
            }
        }

        w.Cursor = w.Limit;
        among = w.SubstringB(s_step2);
        if (among >= 0 && p1 <= w.Cursor)
        {
            if (among < 3)
            {
                w.SliceDel();
            }
            else if (w.InGroupingB(StEnding) && w.HopB(3))
            {
                w.SliceDel();
            }
        }

        w.Cursor = w.Limit;
        among = w.SubstringB(s_step3);
        if (among >= 0 && p2 <= w.Cursor)
        {
            switch (among)
            {
                case 0 or 1:
                {
                    w.SliceDel();
                    if (w.SliceEqB("ig") && !w.TestB("e") && p2 <= w.Cursor)
                    {
                        w.SliceDel();
                    }

                    break;
                }

                case 2 or 3 or 4:
                {
                    if (!w.TestB("e"))
                    {
                        w.SliceDel();
                    }

                    break;
                }

                case 5 or 6:
                {
                    w.SliceDel();
                    if (w.SubstringB(s_erEn) >= 0 && p1 <= w.Cursor)
                    {
                        w.SliceDel();
                    }

                    break;
                }

                default:
                {
                    w.SliceDel();
                    if (w.SubstringB(s_lichIg) >= 0 && p2 <= w.Cursor)
                    {
                        w.SliceDel();
                    }

                    break;
                }
            }
        }
    }

    private static string Postlude(string word)
    {
        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                'Y' => 'y',
                'U' or 'ü' => 'u',
                'ä' => 'a',
                'ö' => 'o',
                _ => chars[i],
            };
        }

        return new string(chars);
    }
}
