using System.Text;

namespace AotVector.Segment.FullText.Snowball;

/// <summary>
/// The word a Snowball stemmer works on, with the primitives the Snowball language defines (cursor, limits, the
/// bra/ket slice, groupings, literal tests, <c>among</c> as longest match, slice replacement), so that each stemmer
/// reads as a direct transcription of its published algorithm. Backward-mode primitives end in <c>B</c>.
/// </summary>
internal sealed class SnowballWord
{
    private readonly StringBuilder _text = new();

    public SnowballWord(string word)
    {
        _text.Append(word);
        Limit = word.Length;
        Ket = Limit;
    }

    public int Cursor { get; set; }

    public int Limit { get; set; }

    public int LimitBackward { get; set; }

    public int Bra { get; set; }

    public int Ket { get; set; }

    public int Length => _text.Length;

    public char this[int index] => _text[index];

    public override string ToString() => _text.ToString();

    /// <summary>Snowball's <c>backwards</c>: the cursor at the end, the backward limit at the start.</summary>
    public void StartBackwards()
    {
        LimitBackward = Cursor;
        Cursor = Limit;
    }

    /// <summary>Back to forward mode after <c>backwards</c>.</summary>
    public void EndBackwards() => Cursor = LimitBackward;

    public bool InGrouping(string group)
    {
        if (Cursor >= Limit || group.IndexOf(_text[Cursor]) < 0)
        {
            return false;
        }

        Cursor++;
        return true;
    }

    public bool OutGrouping(string group)
    {
        if (Cursor >= Limit || group.IndexOf(_text[Cursor]) >= 0)
        {
            return false;
        }

        Cursor++;
        return true;
    }

    public bool InGroupingB(string group)
    {
        if (Cursor <= LimitBackward || group.IndexOf(_text[Cursor - 1]) < 0)
        {
            return false;
        }

        Cursor--;
        return true;
    }

    public bool OutGroupingB(string group)
    {
        if (Cursor <= LimitBackward || group.IndexOf(_text[Cursor - 1]) >= 0)
        {
            return false;
        }

        Cursor--;
        return true;
    }

    /// <summary><c>gopast g</c> (or <c>gopast non-g</c> when <paramref name="inside"/> is false).</summary>
    public bool GoPast(string group, bool inside = true)
    {
        while (Cursor < Limit)
        {
            var hit = group.IndexOf(_text[Cursor]) >= 0;
            Cursor++;
            if (hit == inside)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>goto g</c> (or <c>goto non-g</c>): the cursor stops before the first such character.</summary>
    public bool GoTo(string group, bool inside = true)
    {
        while (Cursor < Limit)
        {
            if (group.IndexOf(_text[Cursor]) >= 0 == inside)
            {
                return true;
            }

            Cursor++;
        }

        return false;
    }

    /// <summary><c>gopast g</c> in backward mode (or <c>gopast non-g</c>).</summary>
    public bool GoPastB(string group, bool inside = true)
    {
        while (Cursor > LimitBackward)
        {
            var hit = group.IndexOf(_text[Cursor - 1]) >= 0;
            Cursor--;
            if (hit == inside)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>goto g</c> in backward mode (or <c>goto non-g</c>).</summary>
    public bool GoToB(string group, bool inside = true)
    {
        while (Cursor > LimitBackward)
        {
            if (group.IndexOf(_text[Cursor - 1]) >= 0 == inside)
            {
                return true;
            }

            Cursor--;
        }

        return false;
    }

    public bool Eq(string s)
    {
        if (Limit - Cursor < s.Length || !Matches(Cursor, s))
        {
            return false;
        }

        Cursor += s.Length;
        return true;
    }

    public bool EqB(string s)
    {
        if (Cursor - LimitBackward < s.Length || !Matches(Cursor - s.Length, s))
        {
            return false;
        }

        Cursor -= s.Length;
        return true;
    }

    /// <summary><c>test 's'</c> in backward mode: whether the text before the cursor ends with s; the cursor stays.</summary>
    public bool TestB(string s) => Cursor - LimitBackward >= s.Length && Matches(Cursor - s.Length, s);

    /// <summary><c>next</c>: one character forward.</summary>
    public bool Next() => Hop(1);

    /// <summary><c>next</c> in backward mode.</summary>
    public bool NextB() => HopB(1);

    public bool Hop(int n)
    {
        if (Limit - Cursor < n)
        {
            return false;
        }

        Cursor += n;
        return true;
    }

    public bool HopB(int n)
    {
        if (Cursor - LimitBackward < n)
        {
            return false;
        }

        Cursor -= n;
        return true;
    }

    /// <summary>
    /// <c>among</c> forward: the index of the longest string that starts at the cursor (the cursor moves past it),
    /// or -1. An entry whose <paramref name="condition"/> fails is passed over for a shorter one, as Snowball does
    /// for an entry naming a routine.
    /// </summary>
    public int FindAmong(string[] among, Func<int, bool>? condition = null)
    {
        var start = Cursor;
        var best = -1;
        for (var i = 0; i < among.Length; i++)
        {
            var s = among[i];
            if (Limit - start >= s.Length && Matches(start, s) && (best < 0 || s.Length > among[best].Length))
            {
                Cursor = start + s.Length;
                if (condition is null || condition(i))
                {
                    best = i;
                }
            }
        }

        Cursor = best < 0 ? start : start + among[best].Length;
        return best;
    }

    /// <summary><c>among</c> backward: the index of the longest string that ends at the cursor, or -1.</summary>
    public int FindAmongB(string[] among, Func<int, bool>? condition = null)
    {
        var end = Cursor;
        var best = -1;
        for (var i = 0; i < among.Length; i++)
        {
            var s = among[i];
            if (end - LimitBackward >= s.Length && Matches(end - s.Length, s) && (best < 0 || s.Length > among[best].Length))
            {
                Cursor = end - s.Length;
                if (condition is null || condition(i))
                {
                    best = i;
                }
            }
        }

        Cursor = best < 0 ? end : end - among[best].Length;
        return best;
    }

    /// <summary><c>[substring] among(...)</c> in backward mode: ket at the cursor, bra before the match.</summary>
    public int SubstringB(string[] among, Func<int, bool>? condition = null)
    {
        Ket = Cursor;
        var found = FindAmongB(among, condition);
        if (found >= 0)
        {
            Bra = Cursor;
        }

        return found;
    }

    /// <summary>
    /// <c>setlimit tomark p for ([substring]) among(...)</c>: the match may not reach before <paramref name="mark"/>.
    /// </summary>
    public int SubstringB(int mark, string[] among, Func<int, bool>? condition = null)
    {
        if (Cursor < mark)
        {
            return -1;
        }

        var saved = LimitBackward;
        LimitBackward = mark;
        var found = SubstringB(among, condition);
        LimitBackward = saved;
        return found;
    }

    /// <summary><c>[literal]</c> in backward mode.</summary>
    public bool SliceEqB(string s)
    {
        Ket = Cursor;
        if (!EqB(s))
        {
            return false;
        }

        Bra = Cursor;
        return true;
    }

    /// <summary><c>&lt;- s</c>: replaces the slice between bra and ket.</summary>
    public void SliceFrom(string s) => Replace(Bra, Ket, s);

    /// <summary><c>delete</c>.</summary>
    public void SliceDel() => Replace(Bra, Ket, "");

    public string Slice() => _text.ToString(Bra, Ket - Bra);

    private void Replace(int bra, int ket, string s)
    {
        _text.Remove(bra, ket - bra).Insert(bra, s);
        var adjustment = s.Length - (ket - bra);
        Limit += adjustment;
        if (Cursor >= ket)
        {
            Cursor += adjustment;
        }
        else if (Cursor > bra)
        {
            Cursor = bra;
        }

        Bra = bra;
        Ket = bra + s.Length;
    }

    private bool Matches(int at, string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (_text[at + i] != s[i])
            {
                return false;
            }
        }

        return true;
    }
}
