using AotVector.Common.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AotVector.Server.Config;

/// <summary>
/// Turns YAML text into a <see cref="ConfigNode"/> tree through YamlDotNet's representation model.
/// No serializer and no reflection are involved, so this is AOT-safe by construction.
/// </summary>
internal static class YamlConfigReader
{
    /// <param name="text">The YAML document.</param>
    /// <param name="sourceName">Shown in messages: a file path or "built-in defaults".</param>
    public static Result<ConfigNode> Read(string text, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // The innermost exception carries the precise position (e.g. the tab, not the mapping holding it).
            var cause = e.InnerException as YamlException ?? e;
            return Fail($"{sourceName}: malformed YAML at line {cause.Start.Line}, column {cause.Start.Column}: {Describe(cause)}");
        }

        if (stream.Documents.Count == 0)
        {
            return ConfigNode.Mapping(sourceName);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            return Fail($"{sourceName}: malformed YAML at line {second.Start.Line}: expected one document, found several");
        }

        var root = stream.Documents[0].RootNode;
        if (IsNull(root))
        {
            return ConfigNode.Mapping(sourceName);
        }

        if (root is not YamlMappingNode)
        {
            return Fail($"{sourceName}: expected a mapping of sections (like 'service:') at the top level, line {root.Start.Line}");
        }

        return Convert(root, sourceName);
    }

    private static Result<ConfigNode> Convert(YamlNode node, string sourceName)
    {
        var origin = $"{sourceName}, line {node.Start.Line}";
        switch (node)
        {
            case YamlScalarNode scalar:
                return IsNull(scalar) ? ConfigNode.Null(origin) : ConfigNode.Scalar(scalar.Value ?? string.Empty, origin);
            case YamlSequenceNode:
                return ConfigNode.Sequence(origin);
            case YamlMappingNode mapping:
                var result = ConfigNode.Mapping(origin);
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
                    {
                        return Fail($"{sourceName}: malformed YAML at line {keyNode.Start.Line}: a key must be a plain name");
                    }

                    var child = Convert(valueNode, sourceName);
                    if (!child.IsOk)
                    {
                        return child;
                    }

                    if (!result.SetChild(key, child.Value))
                    {
                        // Keys are case-insensitive, so 'Port' and 'port' collide here even when YAML allowed them.
                        return Fail($"{sourceName}: malformed YAML at line {keyNode.Start.Line}: key '{key}' appears twice in the same mapping");
                    }
                }

                return result;
            default:
                return Fail($"{sourceName}: malformed YAML at line {node.Start.Line}: unsupported node");
        }
    }

    /// <summary>YAML's core schema: an unquoted empty value, ~ or null (any of its three spellings) is null.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlException e)
    {
        // The message starts with "(Line: a, Col: b, Idx: c) - (Line: ...): "; we print the position ourselves.
        var message = e.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return OneLine(cut >= 0 ? message[(cut + 3)..] : message);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static Result<ConfigNode> Fail(string line) => new AvError(ErrorKind.BadRequest, line);
}
