using System.Globalization;
using Tomlyn.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pmx.Config;

/// <summary>
/// PM2's process.yml into the model an ecosystem.toml parses to. YAML's plain scalars are typed
/// by the core schema (true/false, integers, floats, null, ~); quoted ones are always strings.
/// </summary>
internal static class YamlConfigReader
{
    public static object? Read(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new Pm2ConfigException($"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        return stream.Documents.Count == 0 ? null : ToModel(stream.Documents[0].RootNode, depth: 0);
    }

    static object? ToModel(YamlNode node, int depth)
    {
        if (depth > 32) throw new Pm2ConfigException("the YAML nests deeper than 32 levels");
        switch (node)
        {
            case YamlMappingNode mapping:
                var table = new TomlTable();
                foreach (var (key, value) in mapping.Children)
                    if (key is YamlScalarNode { Value: { } name } && ToModel(value, depth + 1) is { } item) table[name] = item;
                return table;
            case YamlSequenceNode sequence:
                var array = new TomlArray();
                foreach (var child in sequence.Children)
                    if (ToModel(child, depth + 1) is { } item) array.Add(item);
                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    static object? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return text;
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => text,
        };
    }
}
