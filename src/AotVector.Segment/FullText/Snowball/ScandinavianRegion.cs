namespace AotVector.Segment.FullText.Snowball;

/// <summary>R1 as the Danish, Norwegian and Swedish algorithms define it: after the first non-vowel that follows a
/// vowel, but with at least three letters before it.</summary>
internal static class ScandinavianRegion
{
    public static int P1(SnowballWord w, string vowels)
    {
        if (w.Limit < 3)
        {
            return w.Limit;
        }

        w.Cursor = 0;
        var p1 = w.GoTo(vowels) && w.GoPast(vowels, inside: false) ? Math.Max(w.Cursor, 3) : w.Limit;
        w.Cursor = 0;
        return p1;
    }
}
