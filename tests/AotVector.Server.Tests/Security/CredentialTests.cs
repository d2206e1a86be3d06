using AotVector.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AotVector.Server.Tests.Security;

public sealed class CredentialTests
{
    private static Credential Read(params (string Name, string[] Values)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, values) in headers)
        {
            dictionary[name] = new StringValues(values);
        }

        return Credential.Read(dictionary);
    }

    [Fact]
    public void Nothing_sent_is_missing() => Assert.Equal(CredentialStatus.Missing, Read().Status);

    [Theory]
    [InlineData("api-key")]
    [InlineData("API-KEY")]
    [InlineData("Api-Key")]
    public void Api_key_header_name_is_case_insensitive(string name) =>
        Assert.Equal(new Credential(CredentialStatus.Present, "secret"), Read((name, ["secret"])));

    [Theory]
    [InlineData("authorization", "Bearer secret")]
    [InlineData("Authorization", "bearer secret")]
    public void Bearer_token_is_read(string name, string value) =>
        Assert.Equal(new Credential(CredentialStatus.Present, "secret"), Read((name, [value])));

    [Fact]
    public void Api_key_wins_over_authorization() =>
        Assert.Equal("a", Read(("api-key", ["a"]), ("Authorization", ["Bearer b"])).Value);

    [Theory]
    [InlineData("Basic c2VjcmV0")]
    [InlineData("Bearer ")]
    [InlineData("secret")]
    public void Other_authorization_schemes_are_malformed(string value) =>
        Assert.Equal(CredentialStatus.Malformed, Read(("Authorization", [value])).Status);

    [Fact]
    public void Duplicate_api_key_headers_are_refused() =>
        Assert.Equal(CredentialStatus.Malformed, Read(("api-key", ["secret", "secret"])).Status);

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a,b")]
    [InlineData("sécret")]
    public void Empty_or_non_token_values_are_malformed(string value)
    {
        var credential = Read(("api-key", [value]));
        Assert.Equal(value == "a,b" ? CredentialStatus.Present : CredentialStatus.Malformed, credential.Status);
    }
}
