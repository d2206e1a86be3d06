namespace AotVector.Common.FullText;

/// <summary>A stemmer: Snowball for <see cref="Language"/>, or none when <see cref="Language"/> is null (the reference's <c>{"type": "none"}</c>).</summary>
public sealed record StemmerSpec(string? Language)
{
    public static StemmerSpec Disabled { get; } = new((string?)null);
}
