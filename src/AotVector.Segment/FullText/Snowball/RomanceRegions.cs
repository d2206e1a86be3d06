namespace AotVector.Segment.FullText.Snowball;

/// <summary>The regions the Romance-language algorithms share (snowballstem.org/texts/r1r2 and their RV).</summary>
internal static class RomanceRegions
{
    /// <summary>R1 and R2: each after the first non-vowel that follows a vowel, R2 counted from R1.</summary>
    public static (int P1, int P2) R1R2(SnowballWord w, string vowels)
    {
        int p1 = w.Limit, p2 = w.Limit;
        w.Cursor = 0;
        if (w.GoPast(vowels) && w.GoPast(vowels, inside: false))
        {
            p1 = w.Cursor;
            if (w.GoPast(vowels) && w.GoPast(vowels, inside: false))
            {
                p2 = w.Cursor;
            }
        }

        w.Cursor = 0;
        return (p1, p2);
    }

    /// <summary>
    /// RV of Spanish, Portuguese and Italian: after the next vowel when the second letter is a consonant, after the
    /// next consonant when the first two letters are vowels, else after the third letter.
    /// </summary>
    public static int SpanishPortugueseRv(SnowballWord w, string vowels)
    {
        var pV = w.Limit;
        w.Cursor = 0;
        var found = false;
        if (w.InGrouping(vowels))
        {
            var c = w.Cursor;
            found = (w.OutGrouping(vowels) && w.GoPast(vowels)) || (Reset(w, c) && w.InGrouping(vowels) && w.GoPast(vowels, inside: false));
        }

        if (!found)
        {
            w.Cursor = 0;
            if (w.OutGrouping(vowels))
            {
                var c = w.Cursor;
                found = (w.OutGrouping(vowels) && w.GoPast(vowels)) || (Reset(w, c) && w.InGrouping(vowels) && w.Next());
            }
        }

        if (found)
        {
            pV = w.Cursor;
        }

        w.Cursor = 0;
        return pV;
    }

    /// <summary>Replaces acute vowels by plain ones (the Spanish and Portuguese postludes, in part).</summary>
    public static string RemoveAcutes(string word)
    {
        if (word.AsSpan().IndexOfAny("áéíóú") < 0)
        {
            return word;
        }

        var chars = word.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' => 'u',
                _ => chars[i],
            };
        }

        return new string(chars);
    }

    private static bool Reset(SnowballWord w, int cursor)
    {
        w.Cursor = cursor;
        return true;
    }
}
