using AotVector.Server.Config;

namespace AotVector.Server.Tests.Config;

/// <summary>The audit section (the reference server's keys) and the failed-authentication throttle keys under service.</summary>
public sealed class SettingsAuditTests : IDisposable
{
    private readonly ConfigFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Defaults_are_audit_off_and_a_generous_throttle()
    {
        var settings = _fixture.LoadOk().Settings;

        Assert.Equal(new AuditSettings(), settings.Audit);
        Assert.False(settings.Audit.Enabled);
        Assert.Equal("./storage/audit", settings.Audit.Dir);
        Assert.Equal(AuditRotation.Daily, settings.Audit.Rotation);
        Assert.Equal(7, settings.Audit.MaxLogFiles);
        Assert.False(settings.Audit.TrustForwardedHeaders);
        Assert.Equal(50, settings.Service.AuthFailureLimit);
        Assert.Equal(60, settings.Service.AuthFailureWindowSec);
        Assert.True(settings.Service.AuthThrottleEnabled);
    }

    [Fact]
    public void Environment_variables_set_every_key()
    {
        _fixture.Environment["QDRANT__AUDIT__ENABLED"] = "true";
        _fixture.Environment["QDRANT__AUDIT__DIR"] = "/var/log/aotvector";
        _fixture.Environment["QDRANT__AUDIT__ROTATION"] = "Hourly";
        _fixture.Environment["QDRANT__AUDIT__MAX_LOG_FILES"] = "24";
        _fixture.Environment["QDRANT__AUDIT__TRUST_FORWARDED_HEADERS"] = "true";
        _fixture.Environment["QDRANT__SERVICE__AUTH_FAILURE_LIMIT"] = "5";
        _fixture.Environment["QDRANT__SERVICE__AUTH_FAILURE_WINDOW_SEC"] = "10";

        var loaded = _fixture.LoadOk();

        Assert.Equal(
            new AuditSettings { Enabled = true, Dir = "/var/log/aotvector", Rotation = AuditRotation.Hourly, MaxLogFiles = 24, TrustForwardedHeaders = true },
            loaded.Settings.Audit);
        Assert.Equal(5, loaded.Settings.Service.AuthFailureLimit);
        Assert.Equal(10, loaded.Settings.Service.AuthFailureWindowSec);
        Assert.Empty(loaded.Warnings);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    public void Throttle_turns_off_with_zero_or_null(string value)
    {
        _fixture.Environment["QDRANT__SERVICE__AUTH_FAILURE_LIMIT"] = value;

        Assert.False(_fixture.LoadOk().Settings.Service.AuthThrottleEnabled);
    }

    [Fact]
    public void Unknown_rotation_is_an_error_naming_the_choices()
    {
        _fixture.Write("config/config.yaml", "audit:\n  rotation: weekly\n");

        Assert.StartsWith("audit.rotation: expected one of daily, hourly, got 'weekly' (from ", _fixture.LoadError());
    }

    [Fact]
    public void Zero_window_is_an_error()
    {
        _fixture.Environment["QDRANT__SERVICE__AUTH_FAILURE_WINDOW_SEC"] = "0";

        Assert.StartsWith("service.auth_failure_window_sec: expected an integer >= 1, got '0'", _fixture.LoadError());
    }

    [Fact]
    public void Unknown_audit_key_warns_and_log_api_is_accepted()
    {
        _fixture.Write("config/config.yaml", "audit:\n  log_api: true\n  rotate: daily\n");

        var warning = Assert.Single(_fixture.LoadOk().Warnings);
        Assert.StartsWith("unknown key 'audit.rotate' is ignored", warning);
    }
}
