using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;

namespace AotVector.Storage.Files;

/// <summary>
/// A read-write memory mapping of a whole file that can grow. Growth maps a new, larger view and keeps
/// the older views mapped until <see cref="Dispose"/>, so a span handed out before a growth stays valid
/// (all views are shared mappings of the same file, so they see the same bytes). The older views' resident
/// pages are released at growth (madvise DONTNEED: for a shared file mapping the data stays in the page
/// cache and a late reader faults it back in), or the process would count every page once per view.
/// </summary>
/// <remarks>
/// Threading contract: one writer calls <see cref="EnsureCapacity"/> (serialized internally anyway);
/// any number of readers may call <see cref="GetSpan"/> concurrently with it. Who writes which bytes
/// and when readers may look at them is the owner's business (e.g. publish a count after writing).
/// <see cref="Dispose"/> must not run while any span is still in use; the owning segment guarantees
/// that with its own lifetime/locking.
/// </remarks>
public sealed unsafe class MappedFile : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _growLock = new();

    // Every view ever mapped, oldest first; the last one is current. Guarded by _growLock.
    private readonly List<View> _views = [];
    // Null once disposed, so late readers throw instead of touching unmapped memory.
    private View? _current;
    private bool _disposed;

    private MappedFile(FileStream file, View first)
    {
        _file = file;
        _current = first;
        _views.Add(first);
    }

    /// <summary>Path of the mapped file.</summary>
    public string Path => _file.Name;

    /// <summary>Mapped (and file) length in bytes; only grows.</summary>
    public long Capacity => Volatile.Read(ref _current)?.Length ?? 0;

    /// <summary>The whole mapping. Throws if <see cref="Capacity"/> exceeds <see cref="int.MaxValue"/>; use <see cref="GetSpan"/> then.</summary>
    public Span<byte> Span
    {
        get
        {
            var view = CurrentView();
            if (view.Length > int.MaxValue)
            {
                ThrowHelper.ThrowInvalidOperation("Mapping exceeds 2 GiB; use GetSpan(offset, length).");
            }

            return view.Slice(0, (int)view.Length);
        }
    }

    /// <summary>
    /// Opens (creating if missing) and maps <paramref name="path"/>. The mapping covers the larger of the
    /// existing file length and <paramref name="initialCapacityBytes"/>, rounded up to the page size;
    /// bytes beyond the old end of the file read as zero.
    /// </summary>
    public static MappedFile Open(string path, long initialCapacityBytes)
    {
        if (initialCapacityBytes <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(initialCapacityBytes), "Capacity must be positive.");
        }

        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
        try
        {
            var capacity = RoundToPage(Math.Max(file.Length, initialCapacityBytes));
            return new MappedFile(file, View.Map(file, capacity));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="length"/> bytes at <paramref name="offset"/>; valid until <see cref="Dispose"/>, even across growth.</summary>
    public Span<byte> GetSpan(long offset, int length)
    {
        var view = CurrentView();
        if ((ulong)offset > (ulong)view.Length || (ulong)length > (ulong)(view.Length - offset))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(offset), "Range lies outside the mapping; call EnsureCapacity first.");
        }

        return view.Slice(offset, length);
    }

    /// <summary>
    /// <paramref name="rows"/> rows of <paramref name="stride"/> u32 from <paramref name="offset"/> (a multiple of 4),
    /// used in place at any size (one span stops at 2 GiB); valid until <see cref="Dispose"/>, even across growth.
    /// </summary>
    public U32RowTable GetRows(long offset, long rows, int stride)
    {
        if (stride <= 0 || rows < 0 || (offset & (sizeof(uint) - 1)) != 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(stride), "Rows need a positive stride, a non-negative count and a 4-byte aligned offset.");
        }

        // Divided rather than multiplied, so an absurd row count cannot overflow past the check.
        var view = CurrentView();
        if ((ulong)offset > (ulong)view.Length || (ulong)rows > (ulong)(view.Length - offset) / ((ulong)stride * sizeof(uint)))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(rows), "Rows lie outside the mapping; call EnsureCapacity first.");
        }

        return new U32RowTable(in Unsafe.As<byte, uint>(ref view.At(offset)), rows, stride);
    }

    /// <summary>
    /// Grows the file and mapping to at least <paramref name="bytes"/> (at least doubling, page-rounded).
    /// Does nothing when the mapping is already large enough.
    /// </summary>
    public void EnsureCapacity(long bytes)
    {
        if (bytes <= CurrentView().Length)
        {
            return;
        }

        lock (_growLock)
        {
            ThrowIfDisposed();
            var current = _current!;
            if (bytes <= current.Length)
            {
                return;
            }

            var grown = View.Map(_file, RoundToPage(Math.Max(bytes, current.Length * 2)));
            _views.Add(grown);
            Volatile.Write(ref _current, grown);
            current.Release();
        }
    }

    /// <summary>
    /// Grows the mapping to cover [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>)
    /// and faults that range in writable now, changing no byte, so the writes that follow take no page faults
    /// (each fresh page of a shared file mapping costs one on its first write, and on a VM they are dear). Safe
    /// alongside readers and the writer. Best effort: a kernel without MADV_POPULATE_WRITE leaves the faults to the writes.
    /// </summary>
    public void Prefault(long offset, long length)
    {
        if (offset < 0 || length <= 0)
        {
            return;
        }

        EnsureCapacity(offset + length);
        lock (_growLock)
        {
            ThrowIfDisposed();
            _current!.Populate(offset, length);
        }
    }

    /// <summary>
    /// Faults [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of the current mapping in
    /// for reading (MADV_POPULATE_READ, or MADV_WILLNEED on kernels without it), so the page cache holds the range and the
    /// first reads take no faults: the "cached" placement. Changes no byte and no length; best effort.
    /// </summary>
    public void PrefaultRead(long offset, long length)
    {
        lock (_growLock)
        {
            ThrowIfDisposed();
            var view = _current!;
            if (offset < 0 || length <= 0 || offset >= view.Length)
            {
                return;
            }

            view.PopulateRead(offset, Math.Min(length, view.Length - offset));
        }
    }

    /// <summary>
    /// Drops the mapping's resident pages (madvise DONTNEED): their contents stay in the file and the page cache, and
    /// a later read faults them back in. For data read on demand, so the page cache, not this process, decides what
    /// stays in memory. Safe alongside readers and the writer; best effort.
    /// </summary>
    public void ReleaseResident()
    {
        lock (_growLock)
        {
            ThrowIfDisposed();
            _current!.Release();
        }
    }

    /// <summary>Writes dirty pages to disk (msync of every view, then fsync of the file so its new length is durable too).</summary>
    public void Flush()
    {
        lock (_growLock)
        {
            ThrowIfDisposed();
            foreach (var view in _views)
            {
                view.Flush();
            }

            _file.Flush(flushToDisk: true);
        }
    }

    public void Dispose()
    {
        lock (_growLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Volatile.Write(ref _current, null);
            for (var i = _views.Count - 1; i >= 0; i--)
            {
                _views[i].Dispose();
            }

            _views.Clear();
            _file.Dispose();
        }
    }

    private View CurrentView()
    {
        var view = Volatile.Read(ref _current);
        if (view is null)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(MappedFile));
        }

        return view;
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowHelper.ThrowObjectDisposed(nameof(MappedFile));
        }
    }

    /// <summary>
    /// Gives the file real blocks up to <paramref name="capacity"/> before it is mapped. Extended only by a truncate
    /// it would be sparse, and a write into a page with no block behind it on a full disk is a SIGBUS that ends the
    /// process; allocated here, a full disk is an <see cref="IOException"/> ("No space left on device") the caller
    /// can refuse a write with, and the file keeps its old length.
    /// </summary>
    private static void Allocate(FileStream file, long capacity)
    {
        var length = file.Length;
        if (OperatingSystem.IsWindows() || length >= capacity)
        {
            return;
        }

        var fd = (int)file.SafeFileHandle.DangerousGetHandle();
        var error = UnixNative.PosixFallocate(fd, length, capacity - length);
        if (error == 0)
        {
            return;
        }

        try
        {
            file.SetLength(length);
        }
        catch (IOException)
        {
        }

        throw error == UnixNative.NoSpace
            ? new IOException($"No space left on device: cannot grow '{file.Name}' to {capacity} bytes", UnixNative.NoSpace)
            : new IOException($"Cannot allocate {capacity} bytes for '{file.Name}' (errno {error}).");
    }

    private static long RoundToPage(long bytes)
    {
        long page = Environment.SystemPageSize;
        return (bytes + page - 1) / page * page;
    }

    /// <summary>One mapping of the file from offset 0; immutable once created, so readers can take it without a lock.</summary>
    private sealed class View : IDisposable
    {
        private readonly MemoryMappedFile _map;
        private readonly MemoryMappedViewAccessor _accessor;
        private readonly byte* _pointer;

        private View(MemoryMappedFile map, MemoryMappedViewAccessor accessor, byte* pointer, long length)
        {
            _map = map;
            _accessor = accessor;
            _pointer = pointer;
            Length = length;
        }

        public long Length { get; }

        public static View Map(FileStream file, long capacity)
        {
            Allocate(file, capacity);

            // Extends the file to capacity when it is shorter (new bytes are zero).
            var map = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            MemoryMappedViewAccessor? accessor = null;
            try
            {
                accessor = map.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
                byte* pointer = null;
                accessor.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);

                // SAFETY: the pointer is acquired here and released only in Dispose, which the owning
                // MappedFile calls only from its own Dispose; until then [pointer, pointer + capacity) is mapped.
                return new View(map, accessor, pointer + accessor.PointerOffset, capacity);
            }
            catch
            {
                accessor?.Dispose();
                map.Dispose();
                throw;
            }
        }

        public Span<byte> Slice(long offset, int length)
        {
            // SAFETY: callers checked 0 <= offset && offset + length <= Length; the view stays mapped
            // until MappedFile.Dispose, which by contract happens after the last span is used.
            return new Span<byte>(_pointer + offset, length);
        }

        /// <summary>The byte at <paramref name="offset"/>, for views past 2 GiB that one span cannot express.</summary>
        public ref byte At(long offset)
        {
            // SAFETY: callers checked 0 <= offset <= Length and keep their reads inside the view, which
            // stays mapped until MappedFile.Dispose (by contract after the last use).
            return ref *(_pointer + offset);
        }

        public void Flush() => _accessor.Flush();

        /// <summary>Faults [offset, offset + length) in writable (MADV_POPULATE_WRITE); the caller keeps the range inside the view.</summary>
        // POPULATE_WRITE only faults pages in, as a write would, and writes no data.
        public void Populate(long offset, long length) => _ = Advise(offset, length, UnixNative.MadvisePopulateWrite);

        /// <summary>Faults [offset, offset + length) in for reading; the caller keeps the range inside the view.</summary>
        public void PopulateRead(long offset, long length)
        {
            if (Advise(offset, length, UnixNative.MadvisePopulateRead) != 0)
            {
                _ = Advise(offset, length, UnixNative.MadviseWillNeed);
            }
        }

        /// <summary>Drops this view's resident pages; their contents stay in the file and page cache.</summary>
        // DONTNEED on a shared file mapping only unmaps pages (dirty ones stay dirty in the page cache).
        public void Release() => _ = Advise(0, Length, UnixNative.MadviseDontNeed);

        // madvise over [offset, offset + length) of this view, from the page that holds its first byte; 0 when done.
        private int Advise(long offset, long length, int advice)
        {
            if (!OperatingSystem.IsLinux())
            {
                return -1;
            }

            {
                // SAFETY: the range lies inside this view (callers keep it so), which stays mapped until Dispose;
                // rounding the start down only reaches the rest of a page the mapping already covers.
                var page = Environment.SystemPageSize;
                var start = (byte*)((nuint)(_pointer + offset) & ~(nuint)(page - 1));
                return UnixNative.Madvise(start, (nuint)(_pointer + offset + length - start), advice);
            }
        }

        public void Dispose()
        {
            _accessor.SafeMemoryMappedViewHandle.ReleasePointer();
            _accessor.Dispose();
            _map.Dispose();
        }
    }
}
