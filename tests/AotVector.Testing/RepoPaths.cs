namespace AotVector.Testing;

/// <summary>Finds the repository and the published server binary from wherever the tests run.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder that holds AotVector.sln (env <c>AOTVECTOR_REPO</c> wins).</summary>
    public static string Root => s_root.Value;

    /// <summary>The Native AOT server: env <c>AOTVECTOR_BIN</c>, else artifacts/publish/aotvector/aotvector.</summary>
    public static string ServerBinary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("AOTVECTOR_BIN");
            var path = string.IsNullOrEmpty(fromEnv)
                ? Path.Combine(Root, "artifacts", "publish", "aotvector", "aotvector")
                : Path.GetFullPath(fromEnv);
            if (!File.Exists(path))
            {
                Assert.Fail($"Server binary not found at {path}. Run `./build.sh publish` (or set AOTVECTOR_BIN).");
            }

            return path;
        }
    }

    public static string Readme => Path.Combine(Root, "README.md");

    public static string JsFolder => Path.Combine(Root, "tests", "js");

    private static string FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AOTVECTOR_REPO");
        if (!string.IsNullOrEmpty(fromEnv) && File.Exists(Path.Combine(fromEnv, "AotVector.sln")))
        {
            return Path.GetFullPath(fromEnv);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AotVector.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find AotVector.sln above " + AppContext.BaseDirectory);
    }
}
