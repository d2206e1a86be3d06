namespace AotVector.Testing;

/// <summary>One fresh directory per test, removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string? prefix = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aotvector-tests", (prefix ?? "t") + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server child process may still hold a file for a moment; the OS temp cleaner gets it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
