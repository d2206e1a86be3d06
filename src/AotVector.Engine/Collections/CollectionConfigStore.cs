using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Engine.Files;
using AotVector.Storage.Files;

namespace AotVector.Engine.Collections;

/// <summary>
/// Reads and writes a collection's configuration as <c>collection.json</c> (<see cref="CollectionConfigFile"/>),
/// written atomically. A damaged file fails with <see cref="JsonException"/>, a file of another format with
/// <see cref="InvalidDataException"/>.
/// </summary>
internal static class CollectionConfigStore
{
    public const string FileName = "collection.json";

    public static void Save(string directory, string name, CollectionConfig config)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(CollectionConfigFile.From(name, config), EngineFilesJsonContext.Default.CollectionConfigFile);
        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), bytes);
    }

    public static (string Name, CollectionConfig Config) Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var file = JsonSerializer.Deserialize(File.ReadAllBytes(path), EngineFilesJsonContext.Default.CollectionConfigFile)
            ?? throw new JsonException(path + " holds null");
        if (!CollectionConfigFile.Reads(file.Format))
        {
            throw new InvalidDataException($"{path} has format {file.Format}; this build reads formats {CollectionConfigFile.PlainFormat} to {CollectionConfigFile.CurrentFormat}");
        }

        return (file.Name, file.ToConfig());
    }
}
