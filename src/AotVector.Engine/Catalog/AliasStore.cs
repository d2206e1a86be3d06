using System.Text.Json;
using AotVector.Storage.Files;

namespace AotVector.Engine.Catalog;

/// <summary>Alias → collection map, persisted atomically as <c>aliases.json</c>.</summary>
internal static class AliasStore
{
    public const string FileName = "aliases.json";

    public static Dictionary<string, string> Load(string storagePath)
    {
        var path = Path.Combine(storagePath, FileName);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return aliases;
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (var prop in doc.RootElement.GetProperty("aliases").EnumerateObject())
        {
            aliases[prop.Name] = prop.Value.GetString()!;
        }

        return aliases;
    }

    public static void Save(string storagePath, IReadOnlyDictionary<string, string> aliases)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("aliases");
            foreach (var (alias, collection) in aliases.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                w.WriteString(alias, collection);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        AtomicFile.WriteAllBytes(Path.Combine(storagePath, FileName), buffer.ToArray());
    }
}
