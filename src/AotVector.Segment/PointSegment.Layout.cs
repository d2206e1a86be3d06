using AotVector.Common.Model;

namespace AotVector.Segment;

public sealed partial class PointSegment
{
    /// <summary>
    /// The fields new segments are laid out by: those indexed with <c>is_tenant</c> or <c>is_principal</c>, as the
    /// reference's optimizer groups points by them so one tenant's points sit together.
    /// </summary>
    public IReadOnlyList<string> LayoutFields()
    {
        ThrowIfDisposed();
        return [.. _indexes.Indexes.Where(i => i.IndexParams?.LaysOut == true).Select(i => i.Field)];
    }

    /// <summary>
    /// Adds each live point with its layout key over <paramref name="fields"/> (the sum of each field's key, as the
    /// reference's segment builder orders by): sorting by it groups points with the same tenant value.
    /// </summary>
    public void AddLayoutKeys(IReadOnlyList<string> fields, List<(ulong Key, PointId Id)> into)
    {
        ThrowIfDisposed();
        foreach (var offset in _ids.LiveOffsets())
        {
            ulong key = 0;
            foreach (var field in fields)
            {
                if (_indexes.TryGet(field, out var index))
                {
                    key = unchecked(key + index.LayoutKey(offset));
                }
            }

            into.Add((key, _ids.IdAt(offset)));
        }
    }
}
