using System.Globalization;
using System.Text.Json;

namespace AotVector.EndToEnd.Tests.Infrastructure;

/// <summary>Small readers over <see cref="JsonElement"/> so assertions stay one line.</summary>
public static class JsonPaths
{
    /// <summary>Walks a dotted path; numeric segments index arrays. Fails the test when a step is missing.</summary>
    public static JsonElement At(this JsonElement element, string path)
    {
        var current = element;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                if (index >= current.GetArrayLength())
                {
                    Assert.Fail($"'{path}': index {index} out of range in {current.GetRawText()}");
                }

                current = current[index];
            }
            else if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else
            {
                Assert.Fail($"'{path}': no '{segment}' in {Shorten(current.GetRawText())}");
            }
        }

        return current;
    }

    public static bool Has(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out _);

    /// <summary>A point id as text: integers as digits, UUIDs as the string.</summary>
    public static string IdText(this JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Number => id.GetRawText(),
        JsonValueKind.String => id.GetString()!,
        _ => throw new InvalidOperationException("not a point id: " + id.GetRawText()),
    };

    /// <summary>The ids of an array of records or scored points.</summary>
    public static List<string> Ids(this JsonElement points) =>
        points.EnumerateArray().Select(p => p.At("id").IdText()).ToList();

    public static List<double> Scores(this JsonElement points) =>
        points.EnumerateArray().Select(p => p.At("score").GetDouble()).ToList();

    public static float[] Floats(this JsonElement array) =>
        array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static string Shorten(string s) => s.Length <= 600 ? s : s[..600] + "…";
}
