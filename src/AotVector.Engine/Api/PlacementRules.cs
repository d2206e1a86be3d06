using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>The reference's checks of a dense vector's <c>memory</c>: its storage cannot be pinned.</summary>
public static class PlacementRules
{
    /// <summary>The refusal of <paramref name="memory"/> for the dense vector <paramref name="name"/>, or null.</summary>
    public static AvError? VectorMemory(string? memory, string name) => memory == "pinned"
        ? AvError.Validation($"[{(name.Length == 0 ? "vectors.memory" : $"vectors.{name}.memory")}: `pinned` memory placement is not supported for dense vector storage]")
        : null;

    /// <summary>Whether the vectors stay on disk by <paramref name="memory"/> (over <paramref name="onDisk"/>); null when neither says.</summary>
    public static bool? VectorsOnDisk(string? memory, bool? onDisk) => memory switch
    {
        "cold" => true,
        "cached" => false,
        _ => onDisk,
    };
}
