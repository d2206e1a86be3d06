using System.Text.Json;
using AotVector.Engine.Files;
using AotVector.Storage.Files;

namespace AotVector.Engine.Catalog;

/// <summary>Alias → collection map, persisted atomically as <c>aliases.json</c> (<see cref="AliasesFile"/>).</summary>
internal static class AliasStore
{
    public const string FileName = "aliases.json";

    public static Dictionary<string, string> Load(string storagePath)
    {
        var path = Path.Combine(storagePath, FileName);
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var file = JsonSerializer.Deserialize(File.ReadAllBytes(path), EngineFilesJsonContext.Default.AliasesFile)
            ?? throw new JsonException(path + " holds null");
        return new Dictionary<string, string>(file.Aliases, StringComparer.Ordinal);
    }

    public static void Save(string storagePath, IReadOnlyDictionary<string, string> aliases)
    {
        // Insertion order is the written order: sorted, so the file does not change with the map's history.
        var sorted = new Dictionary<string, string>(aliases.Count, StringComparer.Ordinal);
        foreach (var (alias, collection) in aliases.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            sorted[alias] = collection;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(new AliasesFile { Aliases = sorted }, EngineFilesJsonContext.Default.AliasesFile);
        AtomicFile.WriteAllBytes(Path.Combine(storagePath, FileName), bytes);
    }
}
