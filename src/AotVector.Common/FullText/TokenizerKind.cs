namespace AotVector.Common.FullText;

/// <summary>How a full-text index (and a BM25 document) splits text into tokens, as the reference names them.</summary>
public enum TokenizerKind : byte
{
    Word = 0,
    Whitespace = 1,
    Prefix = 2,
    Multilingual = 3,
}
