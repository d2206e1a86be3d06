namespace AotVector.Segment.FullText.Snowball;

/// <summary>The Snowball Russian stemmer (snowballstem.org/algorithms/russian), on Cyrillic text.</summary>
internal static class RussianStemmer
{
    private const string V = "аеиоуыэюя";

    // In each list below, the entries before the index named GroupTwo need a preceding а or я, which stays.
    private static readonly string[] s_perfectiveGerunds = ["в", "вши", "вшись", "ив", "ивши", "ившись", "ыв", "ывши", "ывшись"];
    private const int GerundGroupTwo = 3;

    private static readonly string[] s_adjectives =
    [
        "ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого", "ему", "ому",
        "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею",
    ];

    private static readonly string[] s_participles = ["ем", "нн", "вш", "ющ", "щ", "ивш", "ывш", "ующ"];
    private const int ParticipleGroupTwo = 5;

    private static readonly string[] s_reflexive = ["ся", "сь"];

    private static readonly string[] s_verbs =
    [
        "ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно",
        "ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен", "ило", "ыло",
        "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю",
    ];

    private const int VerbGroupTwo = 17;

    private static readonly string[] s_nouns =
    [
        "а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й", "иям", "ям",
        "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия", "ья", "я",
    ];

    private static readonly string[] s_derivational = ["ост", "ость"];
    private static readonly string[] s_tidyUp = ["ейш", "ейше", "н", "ь"];

    public static string Stem(string word)
    {
        var w = new SnowballWord(word.Replace('ё', 'е'));
        var (pV, p2) = MarkRegions(w);
        w.StartBackwards();
        w.LimitBackward = pV;

        if (!RemoveGrouped(w, s_perfectiveGerunds, GerundGroupTwo))
        {
            w.Cursor = w.Limit;
            if (w.SubstringB(s_reflexive) >= 0)
            {
                w.SliceDel();
            }

            var end = w.Cursor;
            if (!Adjectival(w))
            {
                w.Cursor = end;
                if (!RemoveGrouped(w, s_verbs, VerbGroupTwo))
                {
                    w.Cursor = end;
                    if (w.SubstringB(s_nouns) >= 0)
                    {
                        w.SliceDel();
                    }
                }
            }
        }

        w.Cursor = w.Limit;
        if (w.SliceEqB("и"))
        {
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        if (w.SubstringB(s_derivational) >= 0 && p2 <= w.Cursor)
        {
            w.SliceDel();
        }

        w.Cursor = w.Limit;
        TidyUp(w);
        w.LimitBackward = 0;
        w.EndBackwards();
        return w.ToString();
    }

    private static (int PV, int P2) MarkRegions(SnowballWord w)
    {
        int pV = w.Limit, p2 = w.Limit;
        w.Cursor = 0;
        if (w.GoPast(V))
        {
            pV = w.Cursor;
            if (w.GoPast(V, inside: false) && w.GoPast(V) && w.GoPast(V, inside: false))
            {
                p2 = w.Cursor;
            }
        }

        w.Cursor = 0;
        return (pV, p2);
    }

    // Removes the longest listed ending; those before groupTwo only after а or я.
    private static bool RemoveGrouped(SnowballWord w, string[] endings, int groupTwo)
    {
        var among = w.SubstringB(endings);
        if (among < 0 || (among < groupTwo && !w.EqB("а") && !w.EqB("я")))
        {
            return false;
        }

        w.SliceDel();
        return true;
    }

    private static bool Adjectival(SnowballWord w)
    {
        if (w.SubstringB(s_adjectives) < 0)
        {
            return false;
        }

        w.SliceDel();
        RemoveGrouped(w, s_participles, ParticipleGroupTwo);
        return true;
    }

    private static void TidyUp(SnowballWord w)
    {
        switch (w.SubstringB(s_tidyUp))
        {
            case 0 or 1:
                w.SliceDel();
                if (w.SliceEqB("н") && w.EqB("н"))
                {
                    w.SliceDel();
                }

                break;
            case 2:
                if (w.EqB("н"))
                {
                    w.SliceDel();
                }

                break;
            case 3:
                w.SliceDel();
                break;
        }
    }
}
