namespace AotVector.Security.Tests;

/// <summary>Empty keys count as unset and never match, even an empty credential.</summary>
public sealed class EmptyKeyTests
{
    [Fact]
    public async Task Empty_full_key_with_a_read_only_key_grants_nothing_for_empty_credentials()
    {
        await using var server = await SecureServer.StartAsync(env:
        [
            ("QDRANT__SERVICE__API_KEY", ""),
            ("QDRANT__SERVICE__ALT_API_KEY", ""),
            ("QDRANT__SERVICE__READ_ONLY_API_KEY", SecureServer.ReadOnlyKey),
        ]);
        var port = server.Process.HttpPort;
        Assert.Equal(401, (await RawHttp.SendAsync(port, "/collections")).Status);
        Assert.Equal(401, (await RawHttp.SendAsync(port, "/collections", "api-key:")).Status);
        Assert.Equal(401, (await RawHttp.SendAsync(port, "/collections", "api-key: \"\"")).Status);
        Assert.Equal(401, (await RawHttp.SendAsync(port, "/collections", "Authorization: Bearer")).Status);
        Assert.Equal(401, (await RawHttp.SendAsync(port, "/collections", "Authorization: Bearer ")).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(port, "/collections", "api-key: " + SecureServer.ReadOnlyKey)).Status);

        using var http = server.CreateHttp(SecureServer.ReadOnlyKey);
        var create = await http.PutAsync("/collections/x", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, create.StatusCode);
    }
}
