using System.Buffers;
using System.Text;
using AotVector.Common.FullText;
using CommunityToolkit.HighPerformance.Buffers;
using static AotVector.Storage.Files.LittleEndianReader;
using static AotVector.Storage.Files.LittleEndianWriter;

namespace AotVector.Segment.FullText;

/// <summary>
/// <see cref="TextIndexParams"/> as bytes, for the segment state file and the WAL: u8 format (1); u8 tokenizer;
/// five optional booleans (lowercase, ascii_folding, phrase_matching, on_disk, enable_hnsw) as u8 0 = unset,
/// 1 = false, 2 = true; min and max token length as u8 present then u64; stop words as u8 present then the
/// languages and the custom words, each a u32 count of strings; stemmer as u8 0 = unset, 1 = none, 2 = Snowball
/// then its language. Strings are u32 UTF-8 length then the bytes.
/// </summary>
public static class TextIndexParamsCodec
{
    private const byte Format = 1;

    public static byte[] Encode(TextIndexParams p)
    {
        using var w = new ArrayPoolBufferWriter<byte>();
        WriteU8(w, Format);
        WriteU8(w, (byte)p.Tokenizer);
        foreach (var flag in (ReadOnlySpan<bool?>)[p.Lowercase, p.AsciiFolding, p.PhraseMatching, p.OnDisk, p.EnableHnsw])
        {
            WriteU8(w, flag switch { null => 0, false => 1, true => 2 });
        }

        WriteLength(w, p.MinTokenLen);
        WriteLength(w, p.MaxTokenLen);
        WriteU8(w, p.Stopwords is null ? (byte)0 : (byte)1);
        if (p.Stopwords is { } stopwords)
        {
            WriteList(w, stopwords.Languages);
            WriteList(w, stopwords.Custom);
        }

        WriteU8(w, p.Stemmer switch { null => 0, { Language: null } => 1, _ => 2 });
        if (p.Stemmer is { Language: { } language })
        {
            WriteString(w, language);
        }

        return w.WrittenSpan.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not parameters this build writes.</exception>
    public static TextIndexParams Decode(ReadOnlySpan<byte> r)
    {
        try
        {
            if (ReadU8(ref r) != Format)
            {
                throw new InvalidDataException("Unknown text index parameter format.");
            }

            var tokenizer = (TokenizerKind)ReadU8(ref r);
            var flags = new bool?[5];
            for (var i = 0; i < flags.Length; i++)
            {
                flags[i] = ReadU8(ref r) switch { 0 => null, 1 => false, _ => true };
            }

            var min = ReadLength(ref r);
            var max = ReadLength(ref r);
            StopwordsSpec? stopwords = null;
            if (ReadU8(ref r) != 0)
            {
                var languages = ReadList(ref r);
                stopwords = new StopwordsSpec(languages, ReadList(ref r));
            }

            var stemmer = ReadU8(ref r) switch
            {
                0 => null,
                1 => StemmerSpec.Disabled,
                _ => new StemmerSpec(ReadStr(ref r)),
            };
            return new TextIndexParams
            {
                Tokenizer = tokenizer,
                Lowercase = flags[0],
                AsciiFolding = flags[1],
                PhraseMatching = flags[2],
                OnDisk = flags[3],
                EnableHnsw = flags[4],
                MinTokenLen = min,
                MaxTokenLen = max,
                Stopwords = stopwords,
                Stemmer = stemmer,
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException("Truncated text index parameters.", e);
        }
    }

    private static void WriteLength(IBufferWriter<byte> w, ulong? value)
    {
        WriteU8(w, value is null ? (byte)0 : (byte)1);
        if (value is { } v)
        {
            WriteU64(w, v);
        }
    }

    private static ulong? ReadLength(ref ReadOnlySpan<byte> r) => ReadU8(ref r) == 0 ? null : ReadU64(ref r);

    private static void WriteList(IBufferWriter<byte> w, IReadOnlyList<string> items)
    {
        WriteU32(w, (uint)items.Count);
        foreach (var item in items)
        {
            WriteString(w, item);
        }
    }

    private static List<string> ReadList(ref ReadOnlySpan<byte> r)
    {
        var n = ReadU32(ref r);
        var list = new List<string>();
        for (var i = 0u; i < n; i++)
        {
            list.Add(ReadStr(ref r));
        }

        return list;
    }

    private static string ReadStr(ref ReadOnlySpan<byte> r)
    {
        var length = (int)ReadU32(ref r);
        var s = Encoding.UTF8.GetString(r[..length]);
        r = r[length..];
        return s;
    }
}
