using System.Globalization;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Pmx.Config;

/// <summary>
/// A parsed ecosystem file while it is being validated: the model, where each key was written,
/// and the errors and warnings found so far (all of them are collected, never just the first).
/// </summary>
internal sealed class ConfigDocument(string sourceName, string baseDirectory, TomlMetadataStore positions)
{
    public string SourceName { get; } = sourceName;
    /// <summary>Absolute folder of the config file: relative cwd values start here.</summary>
    public string BaseDirectory { get; } = baseDirectory;
    public List<ConfigError> Errors { get; } = [];
    public List<string> Warnings { get; } = [];

    /// <summary>1-based line and column of <paramref name="key"/> in <paramref name="table"/>, or the fallback.</summary>
    public (int Line, int Column) PositionOf(TomlTable table, string key, (int Line, int Column) fallback)
    {
        if (positions.TryGetProperties(table, out var meta) && meta != null
            && meta.TryGetProperty(key, out var property) && property != null)
            return (property.Span.Start.Line + 1, property.Span.Start.Column + 1);
        return fallback;
    }

    public void Error((int Line, int Column) at, string? key, string message) =>
        Errors.Add(new ConfigError(SourceName, at.Line, at.Column, key, message));

    public void Warn((int Line, int Column) at, string message) =>
        Warnings.Add(ControlCharacters.Escape($"{SourceName}:{at.Line}:{at.Column}: warning: {message}"));

    /// <summary>How a value reads in an error: <c>string "four"</c>, <c>integer 70000</c>, <c>array</c>.</summary>
    public static string Describe(object? value) => value switch
    {
        string s => "string " + TomlString.Quote(s),
        long l => "integer " + l.ToString(CultureInfo.InvariantCulture),
        double d => "float " + d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "boolean true" : "boolean false",
        TomlTable => "table",
        TomlTableArray => "array of tables",
        TomlArray => "array",
        null => "nothing",
        _ => "date-time",
    };
}
