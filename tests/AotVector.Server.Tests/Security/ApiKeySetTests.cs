using AotVector.Server.Security;

namespace AotVector.Server.Tests.Security;

public sealed class ApiKeySetTests
{
    [Fact]
    public void Each_key_maps_to_its_level()
    {
        var keys = new ApiKeySet("full-key", "alt-key", "read-key");
        Assert.True(keys.Any);
        Assert.Equal(KeyMatch.Full, keys.Match("full-key"));
        Assert.Equal(KeyMatch.Full, keys.Match("alt-key"));
        Assert.Equal(KeyMatch.ReadOnly, keys.Match("read-key"));
        Assert.Equal(KeyMatch.None, keys.Match("full-ke"));
        Assert.Equal(KeyMatch.None, keys.Match("full-key "));
        Assert.Equal(KeyMatch.None, keys.Match("FULL-KEY"));
    }

    [Fact]
    public void Empty_keys_are_unset_and_never_match()
    {
        var keys = new ApiKeySet("", "", "");
        Assert.False(keys.Any);
        Assert.Equal(KeyMatch.None, keys.Match(""));
        Assert.Equal(KeyMatch.None, keys.Match("anything"));
    }

    [Fact]
    public void An_empty_full_key_does_not_make_a_read_only_server_writable()
    {
        var keys = new ApiKeySet("", null, "read-key");
        Assert.True(keys.Any);
        Assert.Equal(KeyMatch.None, keys.Match(""));
        Assert.Equal(KeyMatch.ReadOnly, keys.Match("read-key"));
    }

    [Fact]
    public void Full_wins_when_a_key_is_configured_twice() =>
        Assert.Equal(KeyMatch.Full, new ApiKeySet("same", null, "same").Match("same"));
}
