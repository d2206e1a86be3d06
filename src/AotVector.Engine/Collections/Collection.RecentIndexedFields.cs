using AotVector.Engine.Api;

namespace AotVector.Engine.Collections;

internal sealed partial class Collection
{
    // How long the indexed fields read for the issues hint are reused: reading them asks every shard (and builds a
    // map per segment), too much for every filtered search; a dropped index shows up at most this much later.
    private const long IndexedFieldsReuseMs = 1000;

    private RecentFields? _recentIndexedFields;

    /// <summary>
    /// <see cref="IndexedFields"/> as read at most a second ago (the issues hint's view on each filtered search);
    /// an index created through the engine is seen at once (<see cref="ForgetRecentIndexedFields"/>).
    /// </summary>
    internal IReadOnlyDictionary<string, PayloadSchemaType> RecentIndexedFields()
    {
        var now = Environment.TickCount64;
        if (Volatile.Read(ref _recentIndexedFields) is { } recent && now - recent.ReadAt < IndexedFieldsReuseMs)
        {
            return recent.Fields;
        }

        var fields = IndexedFields();
        Volatile.Write(ref _recentIndexedFields, new RecentFields(fields, now));
        return fields;
    }

    /// <summary>The next <see cref="RecentIndexedFields"/> reads the shards again (an index was created).</summary>
    internal void ForgetRecentIndexedFields() => Volatile.Write(ref _recentIndexedFields, null);

    private sealed record RecentFields(IReadOnlyDictionary<string, PayloadSchemaType> Fields, long ReadAt);
}
