using System.Net;

namespace AotVector.Security.Tests;

/// <summary>
/// One server with all three keys and jwt_rbac on, with collections "c" and "other" holding a point each. The
/// table sends hundreds of bad credentials from one address, so the failed-authentication throttle is off here.
/// </summary>
public sealed class PermissionFixture : IAsyncLifetime
{
    internal SecureServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await SecureServer.StartAsync(env:
        [
            ("QDRANT__SERVICE__API_KEY", SecureServer.ApiKey),
            ("QDRANT__SERVICE__ALT_API_KEY", SecureServer.AltApiKey),
            ("QDRANT__SERVICE__READ_ONLY_API_KEY", SecureServer.ReadOnlyKey),
            ("QDRANT__SERVICE__JWT_RBAC", "true"),
            ("QDRANT__SERVICE__AUTH_FAILURE_LIMIT", "0"),
        ]);
        using var http = Server.CreateHttp(SecureServer.ApiKey);
        foreach (var name in new[] { "c", "other" })
        {
            var created = await http.PutAsync($"/collections/{name}", SecureServer.Json("""{"vectors":{"size":2,"distance":"Dot"}}"""));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            var upserted = await http.PutAsync($"/collections/{name}/points?wait=true", SecureServer.Json("""{"points":[{"id":1,"vector":[1,0],"payload":{"k":"v"}}]}"""));
            Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        }
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
