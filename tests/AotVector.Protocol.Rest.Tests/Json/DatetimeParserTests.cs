using AotVector.Protocol.Rest.Json;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed class DatetimeParserTests
{
    [Theory]
    [InlineData("2024-01-31T12:34:56Z", "2024-01-31T12:34:56.0000000+00:00")]
    [InlineData("2024-01-31T12:34:56.123456789+02:00", "2024-01-31T12:34:56.1234567+02:00")]
    [InlineData("2024-01-31 12:34:56+0130", "2024-01-31T12:34:56.0000000+01:30")]
    [InlineData("2024-01-31T12:34:56-05", "2024-01-31T12:34:56.0000000-05:00")]
    [InlineData("2024-01-31T12:34:56.5", "2024-01-31T12:34:56.5000000+00:00")]
    [InlineData("2024-01-31 12:34", "2024-01-31T12:34:00.0000000+00:00")]
    [InlineData("2024-01-31", "2024-01-31T00:00:00.0000000+00:00")]
    [InlineData("2024-02-29t00:00:00z", "2024-02-29T00:00:00.0000000+00:00")]
    public void TryParse_AcceptedForms(string text, string expected)
    {
        Assert.True(DatetimeParser.TryParse(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, value.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2024")]
    [InlineData("2024-13-01")]
    [InlineData("2023-02-29")]
    [InlineData("2024-01-31X12:00")]
    [InlineData("2024-01-31T25:00")]
    [InlineData("2024-01-31T12:00:00.")]
    [InlineData("2024-01-31T12:00:00+1")]
    [InlineData("2024-01-31T12:00:00 UTC")]
    [InlineData("yesterday")]
    public void TryParse_Rejected(string text) => Assert.False(DatetimeParser.TryParse(text, out _));
}
