using AotVector.Server.Hosting;

namespace AotVector.Server.Tests.Hosting;

public sealed class MetricNamePrefixTests
{
    private const string Text = "# HELP collections_total number of collections\n# TYPE collections_total gauge\ncollections_total 2\n\n# a comment\ncollection_points{id=\"a\"} 5\n";

    [Fact]
    public void The_prefix_goes_before_every_name_and_nothing_else_changes()
    {
        Assert.Equal(
            "# HELP qdrant_collections_total number of collections\n# TYPE qdrant_collections_total gauge\nqdrant_collections_total 2\n\n# a comment\nqdrant_collection_points{id=\"a\"} 5\n",
            MetricNamePrefix.Apply(Text, "qdrant_"));
        Assert.Same(Text, MetricNamePrefix.Apply(Text, null));
        Assert.Same(Text, MetricNamePrefix.Apply(Text, ""));
    }

    [Theory]
    [InlineData("qdrant_", true)]
    [InlineData("Q1_", true)]
    [InlineData("qdrant-", false)]
    [InlineData("qdrant:", false)]
    [InlineData("é", false)]
    public void Letters_digits_and_underscores_only(string prefix, bool accepted) =>
        Assert.Equal(accepted, MetricNamePrefix.Problem(prefix) is null);
}
