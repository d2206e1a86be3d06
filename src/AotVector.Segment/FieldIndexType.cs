namespace AotVector.Segment;

/// <summary>The payload field index kinds a segment builds (Qdrant's schema types of the same names).</summary>
public enum FieldIndexType : byte
{
    Keyword = 1,
    Integer = 2,
    Float = 3,
    Bool = 4,
    Uuid = 5,
    Datetime = 6,

    /// <summary>Full text; its tokenizer and token processing are a <see cref="Common.FullText.TextIndexParams"/>.</summary>
    Text = 7,

    /// <summary>Geo points, for <c>geo_radius</c>, <c>geo_bounding_box</c> and <c>geo_polygon</c>.</summary>
    Geo = 8,
}
