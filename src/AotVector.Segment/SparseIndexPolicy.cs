using AotVector.Segment.Index.Sparse;

namespace AotVector.Segment;

/// <summary>
/// When and how a sealed segment's sparse vector gets its built (file-backed) inverted index: once its stored sparse
/// data passes <see cref="IndexingThresholdKb"/> (0 never: the in-memory index serves), again when the part written
/// after the build grows past a fifth of it, or when the index was built with another <see cref="OnDisk"/> or
/// <see cref="ValueType"/>. <see cref="OnDisk"/> leaves the file's pages to the page cache; otherwise they are faulted
/// in at open and kept resident.
/// </summary>
public readonly record struct SparseIndexPolicy(ulong IndexingThresholdKb, bool OnDisk, SparseValueType ValueType = SparseValueType.Float32);
