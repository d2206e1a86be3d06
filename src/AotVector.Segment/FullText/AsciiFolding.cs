using System.Text;

namespace AotVector.Segment.FullText;

/// <summary>
/// Folds accented Latin letters to their ASCII base letters (<c>café</c> to <c>cafe</c>, <c>ß</c> to <c>ss</c>,
/// <c>Æ</c> to <c>AE</c>). Covers Latin-1 Supplement, Latin Extended-A and the Romanian comma letters; other
/// characters pass through unchanged (the reference's table, after Lucene's, also folds rarer Latin and symbol forms).
/// </summary>
public static class AsciiFolding
{
    // U+00C0..U+00FF; "" means unchanged (× and ÷).
    private static readonly string[] s_latin1 =
    [
        "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
        "D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "TH", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    ];

    // U+0100..U+017F.
    private static readonly string[] s_latinExtendedA =
    [
        "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
        "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
        "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
        "I", "i", "IJ", "ij", "J", "j", "K", "k", "q", "L", "l", "L", "l", "L", "l", "L",
        "l", "L", "l", "N", "n", "N", "n", "N", "n", "'n", "N", "n", "O", "o", "O", "o",
        "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
        "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
        "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
    ];

    public static string Fold(string text)
    {
        var i = 0;
        while (i < text.Length && text[i] < 0x80)
        {
            i++;
        }

        if (i == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 4);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var folded = Map(c);
            if (folded is null)
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(folded);
            }
        }

        return sb.ToString();
    }

    private static string? Map(char c)
    {
        string? s = c switch
        {
            >= '\u00C0' and <= '\u00FF' => s_latin1[c - 0xC0],
            >= '\u0100' and <= '\u017F' => s_latinExtendedA[c - 0x100],
            '\u0218' => "S",
            '\u0219' => "s",
            '\u021A' => "T",
            '\u021B' => "t",
            _ => null,
        };
        return string.IsNullOrEmpty(s) ? null : s;
    }
}
