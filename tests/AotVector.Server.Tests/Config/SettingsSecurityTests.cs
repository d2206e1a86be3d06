namespace AotVector.Server.Tests.Config;

/// <summary>The TLS, mTLS and JWT prerequisites, and the warnings for risky setups.</summary>
public sealed class SettingsSecurityTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Load_TlsWithExistingFiles_Succeeds()
    {
        WriteTlsFiles();
        _fixture.Environment["QDRANT__SERVICE__ENABLE_TLS"] = "true";
        _fixture.Environment["QDRANT__SERVICE__VERIFY_HTTPS_CLIENT_CERTIFICATE"] = "true";
        _fixture.Environment["QDRANT__CLUSTER__P2P__ENABLE_TLS"] = "true";
        _fixture.Environment["QDRANT__SERVICE__API_KEY"] = "k";

        var loaded = _fixture.LoadOk();

        Assert.True(loaded.Settings.Service.EnableTls);
        Assert.True(loaded.Settings.Service.VerifyHttpsClientCertificate);
        Assert.True(loaded.Settings.Cluster.P2p.EnableTls);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Load_TlsWithoutCertFile_FailsNamingKeyAndPath()
    {
        _fixture.Environment["QDRANT__SERVICE__ENABLE_TLS"] = "true";

        var message = _fixture.LoadError();

        Assert.StartsWith("service.enable_tls: tls.cert file './tls/cert.pem' does not exist", message);
        Assert.Contains(Path.Combine(_fixture.Root, "tls", "cert.pem"), message);
        Assert.Contains("service.enable_tls from environment variable QDRANT__SERVICE__ENABLE_TLS", message);
    }

    [Fact]
    public void Load_TlsWithoutKeyFile_Fails()
    {
        _fixture.Write("tls/cert.pem", "x");
        var path = _fixture.Write("config/config.yaml", "service:\n  enable_tls: true\ntls:\n  key: /nonexistent/key.pem\n");

        var message = _fixture.LoadError();

        Assert.StartsWith("service.enable_tls: tls.key file '/nonexistent/key.pem' does not exist", message);
        Assert.Contains($"tls.key from {path}, line 4", message);
    }

    [Fact]
    public void Load_TlsWithEmptyCertSetting_FailsAsUnset()
    {
        _fixture.Write("tls/key.pem", "x");
        _fixture.Environment["QDRANT__SERVICE__ENABLE_TLS"] = "true";
        _fixture.Environment["QDRANT__TLS__CERT"] = "";

        Assert.Equal(
            "service.enable_tls: requires tls.cert to be set (from environment variable QDRANT__SERVICE__ENABLE_TLS)",
            _fixture.LoadError());
    }

    [Fact]
    public void Load_VerifyClientCertificateWithoutCaCert_Fails()
    {
        WriteTlsFiles();
        _fixture.Environment["QDRANT__SERVICE__ENABLE_TLS"] = "true";
        _fixture.Environment["QDRANT__SERVICE__VERIFY_HTTPS_CLIENT_CERTIFICATE"] = "true";
        _fixture.Environment["QDRANT__TLS__CA_CERT"] = "null";

        Assert.Equal(
            "service.verify_https_client_certificate: requires tls.ca_cert to be set (from environment variable QDRANT__SERVICE__VERIFY_HTTPS_CLIENT_CERTIFICATE)",
            _fixture.LoadError());
    }

    [Fact]
    public void Load_VerifyClientCertificateWithMissingCaFile_Fails()
    {
        _fixture.Write("tls/cert.pem", "x");
        _fixture.Write("tls/key.pem", "x");
        _fixture.Environment["QDRANT__SERVICE__ENABLE_TLS"] = "true";
        _fixture.Environment["QDRANT__SERVICE__VERIFY_HTTPS_CLIENT_CERTIFICATE"] = "true";

        Assert.StartsWith("service.verify_https_client_certificate: tls.ca_cert file './tls/cacert.pem' does not exist", _fixture.LoadError());
    }

    [Fact]
    public void Load_VerifyClientCertificateWithoutTls_Warns()
    {
        _fixture.Write("tls/cacert.pem", "x");
        _fixture.Environment["QDRANT__SERVICE__VERIFY_HTTPS_CLIENT_CERTIFICATE"] = "true";

        var warning = Assert.Single(_fixture.LoadOk().Warnings);

        Assert.StartsWith("service.verify_https_client_certificate has no effect while service.enable_tls is false", warning);
    }

    [Fact]
    public void Load_P2pTlsWithoutCaCert_Fails()
    {
        WriteTlsFiles();
        _fixture.Write("config/config.yaml", "cluster:\n  p2p:\n    enable_tls: true\ntls:\n  ca_cert: null\n");

        Assert.StartsWith("cluster.p2p.enable_tls: requires tls.ca_cert to be set", _fixture.LoadError());
    }

    [Fact]
    public void Load_JwtRbacWithoutApiKey_Fails()
    {
        _fixture.Environment["QDRANT__SERVICE__JWT_RBAC"] = "true";
        _fixture.Environment["QDRANT__SERVICE__READ_ONLY_API_KEY"] = "read-only-key-that-is-long-enough";

        Assert.Equal(
            "service.jwt_rbac: requires service.api_key (or service.alt_api_key), the secret tokens are signed with (from environment variable QDRANT__SERVICE__JWT_RBAC)",
            _fixture.LoadError());
    }

    [Fact]
    public void Load_JwtRbacWithEmptyApiKey_FailsBecauseEmptyMeansUnset()
    {
        _fixture.Environment["QDRANT__SERVICE__JWT_RBAC"] = "true";
        _fixture.Environment["QDRANT__SERVICE__API_KEY"] = "";

        Assert.StartsWith("service.jwt_rbac: requires service.api_key", _fixture.LoadError());
    }

    [Fact]
    public void Load_JwtRbacWithAltApiKeyOnly_Succeeds()
    {
        _fixture.Write("config/config.yaml", "service:\n  host: 127.0.0.1\n  jwt_rbac: true\n  alt_api_key: 0123456789abcdef0123456789abcdef\n");

        var loaded = _fixture.LoadOk();

        Assert.True(loaded.Settings.Service.JwtRbac);
        Assert.Equal("0123456789abcdef0123456789abcdef", loaded.Settings.Service.AltApiKey);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Load_JwtRbacWithShortKey_Warns()
    {
        _fixture.Write("config/config.yaml", "service:\n  host: localhost\n  jwt_rbac: true\n  api_key: short\n");

        var warning = Assert.Single(_fixture.LoadOk().Warnings);

        Assert.Equal("service.jwt_rbac: use API keys of at least 32 bytes to sign JWT tokens", warning);
    }

    [Fact]
    public void Load_EmptyApiKey_IsUnsetAndWarned()
    {
        var path = _fixture.Write("config/config.yaml", "service:\n  api_key: \"\"\n");

        var loaded = _fixture.LoadOk();

        Assert.Null(loaded.Settings.Service.ApiKey);
        Assert.False(loaded.Settings.Service.AuthEnabled);
        Assert.Equal([$"service.api_key is set but empty, so it is treated as unset (from {path}, line 2)"], loaded.Warnings);
    }

    [Fact]
    public void Load_ApiKeyOnPublicHostWithoutTls_Warns()
    {
        _fixture.Environment["QDRANT__SERVICE__API_KEY"] = "secret";

        var warning = Assert.Single(_fixture.LoadOk().Warnings);

        Assert.StartsWith("service: an API key is set but service.enable_tls is false and service.host is 0.0.0.0", warning);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    public void Load_ApiKeyOnLoopbackWithoutTls_DoesNotWarn(string host)
    {
        _fixture.Environment["QDRANT__SERVICE__READ_ONLY_API_KEY"] = "secret";
        _fixture.Environment["QDRANT__SERVICE__HOST"] = host;

        Assert.Empty(_fixture.LoadOk().Warnings);
    }

    [Fact]
    public void Load_ApiKeyWithTls_DoesNotWarn()
    {
        WriteTlsFiles();
        _fixture.Environment["QDRANT__SERVICE__API_KEY"] = "secret";
        _fixture.Environment["QDRANT__SERVICE__ENABLE_TLS"] = "1";

        Assert.Empty(_fixture.LoadOk().Warnings);
    }

    [Fact]
    public void Load_ClusterEnabled_DoesNotWarn()
    {
        _fixture.Environment["QDRANT__CLUSTER__ENABLED"] = "true";

        Assert.Empty(_fixture.LoadOk().Warnings);
    }

    private void WriteTlsFiles()
    {
        _fixture.Write("tls/cert.pem", "cert");
        _fixture.Write("tls/key.pem", "key");
        _fixture.Write("tls/cacert.pem", "ca");
    }
}
