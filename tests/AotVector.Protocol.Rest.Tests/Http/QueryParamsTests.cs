using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AotVector.Protocol.Rest.Tests.Http;

public sealed class QueryParamsTests
{
    private static IQueryCollection Query(string text) => new QueryCollection(QueryHelpers.ParseQuery(text));

    [Theory]
    [InlineData("", false, null)]
    [InlineData("?wait=true", true, null)]
    [InlineData("?wait=false&ordering=strong", false, null, WriteOrdering.Strong)]
    [InlineData("?wait=true&timeout=5&ordering=weak", true, 5)]
    [InlineData("?other=1", false, null)]
    public void ReadWriteOptions_Valid(string query, bool wait, int? timeoutSeconds, WriteOrdering ordering = WriteOrdering.Weak)
    {
        var options = QueryParams.ReadWriteOptions(Query(query));
        Assert.True(options.IsOk);
        Assert.Equal(new WriteOptions(wait, timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null) { Ordering = ordering }, options.Value);
    }

    [Theory]
    [InlineData("?wait=yes", "`wait`")]
    [InlineData("?wait=", "`wait`")]
    [InlineData("?timeout=0", "`timeout`")]
    [InlineData("?timeout=-1", "`timeout`")]
    [InlineData("?timeout=1.5", "`timeout`")]
    [InlineData("?ordering=fast", "`ordering`")]
    public void ReadWriteOptions_Invalid_DeserializeError(string query, string names)
    {
        var options = QueryParams.ReadWriteOptions(Query(query));
        Assert.False(options.IsOk);
        Assert.Equal(ErrorKind.BadRequest, options.Error.Kind);
        Assert.StartsWith("Deserialize error in query parameters: ", options.Error.Message);
        Assert.Contains(names, options.Error.Message);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("?consistency=majority", true)]
    [InlineData("?consistency=2&timeout=3", true)]
    [InlineData("?consistency=most", false)]
    [InlineData("?timeout=x", false)]
    public void CheckReadParams(string query, bool ok) => Assert.Equal(ok, QueryParams.CheckReadParams(Query(query)) is null);
}
