using AotVector.Common.Model;

namespace AotVector.Segment.Tests.Model;

public sealed class JsonPathTests
{
    private static JsonPath P(string text) => JsonPath.Parse(text).Value!;

    private static string Eval(string path, string json) => "[" + string.Join(",", P(path).Evaluate(Json.Obj(json))) + "]";

    [Theory]
    [InlineData("a")]
    [InlineData("a.b")]
    [InlineData("a[].b")]
    [InlineData("a[0]")]
    [InlineData("a[12][3].c")]
    [InlineData("\"quoted key\".x")]
    [InlineData("a.\"b.c\"[]")]
    [InlineData("snake_case-1")]
    public void Parse_ValidPaths_Succeed(string text)
    {
        var result = JsonPath.Parse(text);
        Assert.True(result.IsOk);
        Assert.Equal(text, result.Value!.Text);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a..b", "expected a key")]
    [InlineData("a.", "expected a key")]
    [InlineData("a b", "unexpected character ' '")]
    [InlineData("a[x]", "expected digits")]
    [InlineData("a[1", "expected digits or ']'")]
    [InlineData("[0]", "expected a key, found '['")]
    [InlineData("\"open", "unterminated")]
    [InlineData("ключ", "expected a key, found 'к'")]
    public void Parse_InvalidPaths_FailWithMessage(string text, string fragment)
    {
        var result = JsonPath.Parse(text);
        Assert.False(result.IsOk);
        Assert.Contains(fragment, result.Error.Message);
        Assert.StartsWith("Wrong input: Invalid JSON path", result.Error.Message);
    }

    [Fact]
    public void Evaluate_NestedKey_ReturnsValue() => Assert.Equal("[1]", Eval("a.b", """{"a":{"b":1}}"""));

    [Fact]
    public void Evaluate_DotOverArray_DoesNotFlatten() => Assert.Equal("[]", Eval("a.b", """{"a":[{"b":1},{"b":2}]}"""));

    [Fact]
    public void Evaluate_Wildcard_Flattens() => Assert.Equal("[1,2]", Eval("a[].b", """{"a":[{"b":1},{"c":3},{"b":2}]}"""));

    [Fact]
    public void Evaluate_Index_PicksElement() => Assert.Equal("[{\"b\":2}]", Eval("a[1]", """{"a":[{"b":1},{"b":2}]}"""));

    [Fact]
    public void Evaluate_IndexOutOfRange_Empty() => Assert.Equal("[]", Eval("a[5]", """{"a":[1]}"""));

    [Fact]
    public void Evaluate_LeafArray_ReturnedWhole() => Assert.Equal("[[1,2]]", Eval("a", """{"a":[1,2]}"""));

    [Fact]
    public void Evaluate_QuotedKey_FindsDottedName() => Assert.Equal("[5]", Eval("\"a.b\".c", """{"a.b":{"c":5}}"""));

    [Fact]
    public void Evaluate_Missing_Empty() => Assert.Equal("[]", Eval("x.y", """{"x":1}"""));

    [Fact]
    public void SetMerge_CreatesMissingObjects()
    {
        var root = Json.Obj("""{"a":1}""");
        P("b.c").SetMerge(root, Json.Obj("""{"d":2}"""));
        Assert.Equal(Json.Obj("""{"a":1,"b":{"c":{"d":2}}}"""), root);
    }

    [Fact]
    public void SetMerge_MergesIntoExistingObject()
    {
        var root = Json.Obj("""{"b":{"x":1,"y":2}}""");
        P("b").SetMerge(root, Json.Obj("""{"y":3,"z":4}"""));
        Assert.Equal(Json.Obj("""{"b":{"x":1,"y":3,"z":4}}"""), root);
    }

    [Fact]
    public void SetMerge_ReplacesScalarWithObject()
    {
        var root = Json.Obj("""{"b":7}""");
        P("b").SetMerge(root, Json.Obj("""{"k":1}"""));
        Assert.Equal(Json.Obj("""{"b":{"k":1}}"""), root);
    }

    [Fact]
    public void SetMerge_Wildcard_AppliesToEachElement()
    {
        var root = Json.Obj("""{"a":[{"x":1},{"x":2}]}""");
        P("a[]").SetMerge(root, Json.Obj("""{"y":0}"""));
        Assert.Equal(Json.Obj("""{"a":[{"x":1,"y":0},{"x":2,"y":0}]}"""), root);
    }

    [Fact]
    public void SetMerge_Index_AppliesToOneElement()
    {
        var root = Json.Obj("""{"a":[{"x":1},{"x":2}]}""");
        P("a[1]").SetMerge(root, Json.Obj("""{"y":0}"""));
        Assert.Equal(Json.Obj("""{"a":[{"x":1},{"x":2,"y":0}]}"""), root);
    }

    [Fact]
    public void Delete_NestedKey_Removed()
    {
        var root = Json.Obj("""{"a":{"b":1,"c":2}}""");
        Assert.True(P("a.b").Delete(root));
        Assert.Equal(Json.Obj("""{"a":{"c":2}}"""), root);
    }

    [Fact]
    public void Delete_WildcardKey_RemovedFromEachElement()
    {
        var root = Json.Obj("""{"a":[{"b":1,"c":2},{"b":3}]}""");
        Assert.True(P("a[].b").Delete(root));
        Assert.Equal(Json.Obj("""{"a":[{"c":2},{}]}"""), root);
    }

    [Fact]
    public void Delete_Index_RemovesElement()
    {
        var root = Json.Obj("""{"a":[1,2,3]}""");
        Assert.True(P("a[1]").Delete(root));
        Assert.Equal(Json.Obj("""{"a":[1,3]}"""), root);
    }

    [Fact]
    public void Delete_Missing_ReturnsFalse()
    {
        var root = Json.Obj("""{"a":{"b":1}}""");
        Assert.False(P("a.x").Delete(root));
        Assert.False(P("z").Delete(root));
        Assert.Equal(Json.Obj("""{"a":{"b":1}}"""), root);
    }
}
