namespace AotVector.Server.Config;

/// <summary>The <c>logger</c> section (only what we honour; its other keys are accepted).</summary>
internal sealed record LoggerSettings
{
    /// <summary><c>format</c>: <c>text</c> (one readable line per entry) or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string Format { get; init; } = "text";

    public bool Json => Format == "json";
}
