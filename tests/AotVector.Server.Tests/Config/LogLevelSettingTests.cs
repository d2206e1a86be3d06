namespace AotVector.Server.Tests.Config;

/// <summary>log_level as the reference reads it (a level, then optional target=level parts); anything else stops startup naming the key.</summary>
public sealed class LogLevelSettingTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("INFO")]
    [InlineData("debug")]
    [InlineData("Warn")]
    [InlineData("off")]
    [InlineData("3")]
    [InlineData("INFO,collection=debug,segment::index=trace")]
    public void Load_ValidLevel_Loads(string level)
    {
        _fixture.Environment["QDRANT__LOG_LEVEL"] = level;

        Assert.Equal(level, _fixture.LoadOk().Settings.LogLevel);
    }

    [Theory]
    [InlineData("LOUD", "'LOUD' is not a log level")]
    [InlineData("INFO,storage=chatty", "'chatty' is not a log level")]
    [InlineData("INFO,=debug", "'=debug' names no target before '='")]
    public void Load_InvalidLevel_FailsNamingTheKeyAndSource(string level, string problem)
    {
        _fixture.Environment["QDRANT__LOG_LEVEL"] = level;

        var error = _fixture.LoadError();

        Assert.StartsWith("log_level: " + problem, error);
        Assert.EndsWith("(from environment variable QDRANT__LOG_LEVEL)", error);
    }
}
