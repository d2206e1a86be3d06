namespace AotVector.Protocol.Rest.Tests;

public sealed class TrailingSlashExtensionsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/collections/", "/collections")]
    [InlineData("/collections//c///points/", "/collections/c/points")]
    [InlineData("//", "/")]
    [InlineData("/collections", "/collections")]
    public void Normalize(string path, string expected) => Assert.Equal(expected, TrailingSlashExtensions.Normalize(path));
}
