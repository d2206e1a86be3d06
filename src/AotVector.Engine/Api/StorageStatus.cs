namespace AotVector.Engine.Api;

/// <summary>
/// A collection whose files could not be opened at startup: left out while every other collection serves, and
/// answered with 503 and <paramref name="Reason"/> until an operator repairs or deletes it.
/// </summary>
/// <param name="Name">The collection's name (its directory's name when even its config could not be read).</param>
/// <param name="Directory">Where its files are.</param>
/// <param name="Reason">Why it could not be opened.</param>
public sealed record BrokenCollection(string Name, string Directory, string Reason);

/// <summary>Where loading the stored collections stands (the readiness probe and operators read it).</summary>
/// <param name="Loaded">Every stored collection is loaded or reported broken.</param>
/// <param name="Pending">Collections still waiting to be loaded.</param>
/// <param name="Broken">Collections that could not be loaded.</param>
public sealed record StorageStatus(bool Loaded, int Pending, IReadOnlyList<BrokenCollection> Broken);

/// <summary>The engine's answer to "is the storage serving?", kept apart from the collection and point APIs.</summary>
public interface IStorageStatus
{
    StorageStatus Status { get; }

    /// <summary>Completes once every stored collection is loaded or reported broken (or the engine stopped first).</summary>
    Task Loaded { get; }
}
