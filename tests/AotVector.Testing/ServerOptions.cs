namespace AotVector.Testing;

/// <summary>Extra settings for one server process; the ports, host and storage path are always set by <see cref="ServerProcess"/>.</summary>
public sealed class ServerOptions
{
    /// <summary>Environment variables added after the defaults, so a test can override e.g. the port.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Command-line arguments passed to the binary.</summary>
    public List<string> Arguments { get; } = [];

    public ServerOptions WithEnv(string name, string value)
    {
        Environment[name] = value;
        return this;
    }

    public ServerOptions WithArgs(params string[] args)
    {
        Arguments.AddRange(args);
        return this;
    }
}
