namespace AotVector.Segment.FullText;

/// <summary>
/// The Snowball English ("Porter2") stemmer, written from the published algorithm so that tokens stem as the
/// reference's Snowball stemmer stems them (BM25 term ids and index tokens must agree). Works on one lower-case
/// token; characters outside a-z are consonants to it.
/// </summary>
public static class EnglishStemmer
{
    private static readonly Dictionary<string, string> s_exceptions1 = new(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie",
        ["idly"] = "idl", ["gently"] = "gentl", ["ugly"] = "ugli", ["early"] = "earli", ["only"] = "onli", ["singly"] = "singl",
        ["sky"] = "sky", ["news"] = "news", ["howe"] = "howe", ["atlas"] = "atlas", ["cosmos"] = "cosmos", ["bias"] = "bias", ["andes"] = "andes",
    };

    private static readonly HashSet<string> s_exceptions2 = new(StringComparer.Ordinal)
    {
        "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
    };

    // Longest suffix first within each step, so the first hit is the longest match (as Snowball's `among`).
    private static readonly (string Suffix, string Replacement)[] s_step2 =
    [
        ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"),
        ("entli", "ent"), ("ation", "ate"), ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"),
        ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"), ("alli", "al"),
        ("bli", "ble"), ("ogi", "og"), ("li", ""),
    ];

    private static readonly (string Suffix, string Replacement)[] s_step3 =
    [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ative", ""),
        ("ical", "ic"), ("ness", ""), ("ful", ""),
    ];

    private static readonly string[] s_step4 =
    [
        "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
        "al", "er", "ic",
    ];

    public static string Stem(string word)
    {
        if (word.Length < 3)
        {
            return word;
        }

        if (s_exceptions1.TryGetValue(word, out var exception))
        {
            return exception;
        }

        var w = new Word(word);
        w.Prelude();
        w.MarkRegions();
        w.Step1a();
        if (s_exceptions2.Contains(w.ToString()))
        {
            return w.ToString().Replace('Y', 'y');
        }

        w.Step1b();
        w.Step1c();
        w.Replace(s_step2, 2);
        w.Replace(s_step3, 3);
        w.Step4(s_step4);
        w.Step5();
        return w.ToString().Replace('Y', 'y');
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    private sealed class Word(string text)
    {
        private readonly System.Text.StringBuilder _b = new(text);
        private int _p1;
        private int _p2;

        private int Length => _b.Length;

        public override string ToString() => _b.ToString();

        public void Prelude()
        {
            if (_b.Length > 0 && _b[0] == '\'')
            {
                _b.Remove(0, 1);
            }

            if (_b.Length > 0 && _b[0] == 'y')
            {
                _b[0] = 'Y';
            }

            for (var i = 1; i < _b.Length; i++)
            {
                if (_b[i] == 'y' && IsVowel(_b[i - 1]))
                {
                    _b[i] = 'Y';
                }
            }
        }

        public void MarkRegions()
        {
            var s = _b.ToString();
            _p1 = s.StartsWith("gener", StringComparison.Ordinal) ? 5
                : s.StartsWith("arsen", StringComparison.Ordinal) ? 5
                : s.StartsWith("commun", StringComparison.Ordinal) ? 6
                : AfterVowelThenConsonant(0);
            _p2 = AfterVowelThenConsonant(_p1);
        }

        // The position after the first non-vowel that follows a vowel, at or after `from`; the length when none.
        private int AfterVowelThenConsonant(int from)
        {
            for (var i = from + 1; i < _b.Length; i++)
            {
                if (!IsVowel(_b[i]) && IsVowel(_b[i - 1]) && i - 1 >= from)
                {
                    return i + 1;
                }
            }

            return _b.Length;
        }

        private bool EndsWith(string suffix)
        {
            if (suffix.Length > _b.Length)
            {
                return false;
            }

            for (var i = 0; i < suffix.Length; i++)
            {
                if (_b[_b.Length - suffix.Length + i] != suffix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private void SetEnd(int suffixLength, string replacement)
        {
            _b.Length -= suffixLength;
            _b.Append(replacement);
        }

        // A short syllable ends at `end` (exclusive): non-vowel, vowel, non-vowel other than w, x, Y; or vowel,
        // non-vowel at the very start of the word.
        private bool ShortSyllableEndingAt(int end)
        {
            if (end >= 3 && !IsVowel(_b[end - 1]) && _b[end - 1] is not ('w' or 'x' or 'Y') && IsVowel(_b[end - 2]) && !IsVowel(_b[end - 3]))
            {
                return true;
            }

            return end == 2 && IsVowel(_b[0]) && !IsVowel(_b[1]);
        }

        public void Step1a()
        {
            foreach (var apostrophe in (ReadOnlySpan<string>)["'s'", "'s", "'"])
            {
                if (EndsWith(apostrophe))
                {
                    SetEnd(apostrophe.Length, "");
                    break;
                }
            }

            if (EndsWith("sses"))
            {
                SetEnd(4, "ss");
            }
            else if (EndsWith("ied") || EndsWith("ies"))
            {
                SetEnd(3, Length > 4 ? "i" : "ie");
            }
            else if (EndsWith("us") || EndsWith("ss"))
            {
            }
            else if (EndsWith("s"))
            {
                // Delete if a vowel occurs before the letter preceding the s.
                for (var i = Length - 3; i >= 0; i--)
                {
                    if (IsVowel(_b[i]))
                    {
                        SetEnd(1, "");
                        break;
                    }
                }
            }
        }

        public void Step1b()
        {
            if (EndsWith("eedly") || EndsWith("eed"))
            {
                var suffix = EndsWith("eedly") ? 5 : 3;
                if (Length - suffix >= _p1)
                {
                    SetEnd(suffix, "ee");
                }

                return;
            }

            var length = EndsWith("ingly") ? 5 : EndsWith("edly") ? 4 : EndsWith("ing") ? 3 : EndsWith("ed") ? 2 : 0;
            if (length == 0)
            {
                return;
            }

            var stemHasVowel = false;
            for (var i = 0; i < Length - length; i++)
            {
                stemHasVowel |= IsVowel(_b[i]);
            }

            if (!stemHasVowel)
            {
                return;
            }

            SetEnd(length, "");
            if (EndsWith("at") || EndsWith("bl") || EndsWith("iz"))
            {
                _b.Append('e');
            }
            else if (Length >= 2 && _b[Length - 1] == _b[Length - 2] && _b[Length - 1] is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't')
            {
                _b.Length--;
            }
            else if (_p1 == Length && ShortSyllableEndingAt(Length))
            {
                _b.Append('e');
            }
        }

        public void Step1c()
        {
            if (Length > 2 && _b[Length - 1] is 'y' or 'Y' && !IsVowel(_b[Length - 2]))
            {
                _b[Length - 1] = 'i';
            }
        }

        public void Replace((string Suffix, string Replacement)[] rules, int step)
        {
            foreach (var (suffix, replacement) in rules)
            {
                if (!EndsWith(suffix))
                {
                    continue;
                }

                var start = Length - suffix.Length;
                if (start < _p1)
                {
                    return;
                }

                switch (step, suffix)
                {
                    case (2, "ogi"):
                        if (start > 0 && _b[start - 1] == 'l')
                        {
                            SetEnd(suffix.Length, replacement);
                        }

                        return;
                    case (2, "li"):
                        if (start > 0 && _b[start - 1] is 'c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't')
                        {
                            SetEnd(suffix.Length, "");
                        }

                        return;
                    case (3, "ative"):
                        if (start >= _p2)
                        {
                            SetEnd(suffix.Length, "");
                        }

                        return;
                    default:
                        SetEnd(suffix.Length, replacement);
                        return;
                }
            }
        }

        public void Step4(string[] suffixes)
        {
            foreach (var suffix in suffixes)
            {
                if (!EndsWith(suffix))
                {
                    continue;
                }

                var start = Length - suffix.Length;
                if (start < _p2)
                {
                    return;
                }

                if (suffix == "ion" && !(start > 0 && _b[start - 1] is 's' or 't'))
                {
                    return;
                }

                SetEnd(suffix.Length, "");
                return;
            }
        }

        public void Step5()
        {
            if (EndsWith("e"))
            {
                var start = Length - 1;
                if (start >= _p2 || (start >= _p1 && !ShortSyllableEndingAt(start)))
                {
                    _b.Length--;
                }
            }
            else if (EndsWith("l"))
            {
                var start = Length - 1;
                if (start >= _p2 && start > 0 && _b[start - 1] == 'l')
                {
                    _b.Length--;
                }
            }
        }
    }
}
