using System.Globalization;
using Tomlyn.Model;

namespace Pmx.Config;

/// <summary>
/// Typed reads of one [[apps]] table. Each getter returns null when the key is absent or wrong;
/// in the wrong case it has already recorded an error that names the key and what is allowed.
/// </summary>
internal sealed class AppFieldReader(ConfigDocument doc, TomlTable table, string label, (int Line, int Column) header)
{
    public ConfigDocument Document => doc;
    public TomlTable Table => table;
    /// <summary>How messages name the app: <c>[[apps]] 'web'</c>, or <c>[[apps]] #2</c> before it has a name.</summary>
    public string Label => label;
    public (int Line, int Column) Header => header;

    public (int Line, int Column) At(string key) => doc.PositionOf(table, key, header);

    public void Error(string key, string message) => doc.Error(At(key), key, message);

    public void Warn(string key, string message) => doc.Warn(At(key), message);

    public bool Has(string key) => table.ContainsKey(key);

    /// <summary>Records "'key' in [[apps]] 'web' must be EXPECTED (got …)" and returns null.</summary>
    public T? Wrong<T>(string key, string expected, object? got)
    {
        Error(key, $"'{key}' in {label} must be {expected} (got {ConfigDocument.Describe(got)})");
        return default;
    }

    public string? String(string key)
    {
        if (!table.TryGetValue(key, out var v)) return null;
        return v is string s ? s : Wrong<string>(key, "a string", v);
    }

    public bool? Bool(string key)
    {
        if (!table.TryGetValue(key, out var v)) return null;
        return v is bool b ? b : Wrong<bool?>(key, "true or false", v);
    }

    /// <summary>An integer in [min, max]; <paramref name="rule"/> says the range in words.</summary>
    public int? Int(string key, long min, long max, string rule)
    {
        if (!table.TryGetValue(key, out var v)) return null;
        if (v is not long l) return Wrong<int?>(key, rule, v);
        return l < min || l > max ? Wrong<int?>(key, rule, v) : (int)l;
    }

    public TimeSpan? Duration(string key)
    {
        if (!table.TryGetValue(key, out var v)) return null;
        switch (v)
        {
            case long ms when ms >= 0 && ms <= DurationValue.MaxMilliseconds: return TimeSpan.FromMilliseconds(ms);
            case long: return Wrong<TimeSpan?>(key, "a non-negative duration: " + DurationValue.Expected, v);
            case string s when DurationValue.TryParse(s, out var d): return d;
            default: return Wrong<TimeSpan?>(key, DurationValue.Expected, v);
        }
    }

    public long? Size(string key)
    {
        if (!table.TryGetValue(key, out var v)) return null;
        return v switch
        {
            long b when b > 0 => b,
            string s when SizeValue.TryParse(s, out var b) && b > 0 => b,
            long or string => Wrong<long?>(key, "a positive size: " + SizeValue.Expected, v),
            _ => Wrong<long?>(key, SizeValue.Expected, v),
        };
    }

    /// <summary>
    /// An array of strings, or (when <paramref name="splitString"/>) one string split shell-style,
    /// or (when <paramref name="singleString"/>) one string taken as a one-element list.
    /// </summary>
    public List<string>? StringList(string key, bool splitString = false, bool singleString = false)
    {
        if (!table.TryGetValue(key, out var v)) return null;
        if (v is string s)
        {
            if (singleString) return [s];
            if (!splitString) return Wrong<List<string>>(key, "an array of strings", v);
            if (ShellWords.TrySplit(s, out var words, out var why)) return words;
            Error(key, $"'{key}' in {label} {why}; write it as an array of strings instead (\"{key} = [\\\"--a\\\", \\\"b c\\\"]\")");
            return null;
        }
        if (v is not TomlArray array)
            return Wrong<List<string>>(key, splitString ? "an array of strings or a string" : "an array of strings", v);
        var list = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is string item) list.Add(item);
            else
            {
                Error(key, $"'{key}[{i}]' in {label} must be a string (got {ConfigDocument.Describe(array[i])}); quote it");
                return null;
            }
        }
        return list;
    }

    /// <summary>
    /// A table of environment variables. Numbers and booleans become strings because PM2 users
    /// write <c>PORT = 3000</c> and the process environment only holds strings anyway.
    /// </summary>
    public Dictionary<string, string>? EnvTable(string key)
    {
        if (!table.TryGetValue(key, out var v)) return null;
        if (v is not TomlTable env)
            return Wrong<Dictionary<string, string>>(key, $"a table of NAME = \"value\" pairs ([apps.{key}] or {key} = {{ NAME = \"value\" }})", v);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in env)
        {
            var at = doc.PositionOf(env, name, At(key));
            var text = value switch
            {
                string s => s,
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d => d.ToString(CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                _ => null,
            };
            if (text is null)
                doc.Error(at, $"{key}.{name}", $"'{key}.{name}' in {label} must be a string, number or boolean (got {ConfigDocument.Describe(value)})");
            else if (name.Length == 0 || name.Contains('=') || name.Contains('\0'))
                doc.Error(at, $"{key}.{name}", $"'{name}' in '{key}' of {label} is not a valid environment variable name (no '=' or NUL, not empty)");
            else if (text.Contains('\0'))
                doc.Error(at, $"{key}.{name}", $"'{key}.{name}' in {label} contains a NUL character, which the environment cannot hold");
            else result[name] = text;
        }
        return result;
    }
}
