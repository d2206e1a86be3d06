using AotVector.Common.Errors;
using AotVector.Server.Config;
using AotVector.Testing;

namespace AotVector.Server.Tests.Config;

/// <summary>One temp working directory per test, with helpers to write config files and load from them.</summary>
internal sealed class ConfigFixture : IDisposable
{
    private readonly TempDirectory _directory = new("config");

    public string Root => _directory.Path;

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string Write(string relativePath, string yaml)
    {
        var path = _directory.Combine(relativePath.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    public Result<LoadedSettings> Load(params string[] args) => SettingsLoader.Load(args, Environment, Root);

    public LoadedSettings LoadOk(params string[] args)
    {
        var result = Load(args);
        Assert.True(result.IsOk, result.IsOk ? string.Empty : result.Error.Message);
        return result.Value;
    }

    public string LoadError(params string[] args)
    {
        var result = Load(args);
        Assert.False(result.IsOk, "expected a configuration error");
        var message = result.Error.Message;
        Assert.DoesNotContain('\n', message);
        return message;
    }

    public void Dispose() => _directory.Dispose();
}
