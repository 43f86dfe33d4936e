using System.Text;
using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;
using Tomlyn.Syntax;

namespace Pmx.Config;

/// <summary>
/// Reads an ecosystem.toml into AppSpecs, or into every error it contains.
/// Overview: Tomlyn's syntax parser reports syntax and TOML-level errors (duplicate keys, a table
/// defined twice) with positions; the generic model then carries each key's position, so the
/// strict pass (unknown keys, types, ranges) can point at the exact key. Typed deserialization is
/// not used because it silently ignores unknown keys.
/// </summary>
public static partial class ConfigLoader
{
    const string AppsKey = "apps";

    /// <summary>Reads the file at <paramref name="path"/>; errors name it exactly as given.</summary>
    public static ConfigLoadResult Load(string path, string? envName)
    {
        if (Pm2ConfigReader.ReadsFormatOf(path)) return Pm2ConfigReader.Load(path, envName);
        byte[] bytes;
        try
        {
            bytes = ReadAtMost(path, AppLimits.MaxConfigBytes + 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Unreadable(path, "no such file (run pmx in the folder holding it, or pass -c FILE)");
        }
        catch (UnauthorizedAccessException)
        {
            return Unreadable(path, Directory.Exists(path) ? "it is a directory (pass the file itself with -c FILE)" : "permission denied");
        }
        catch (IOException e)
        {
            return Unreadable(path, e.Message);
        }
        if (bytes.Length > AppLimits.MaxConfigBytes)
            return Unreadable(path, $"it is larger than {AppLimits.MaxConfigBytes / (1024 * 1024)} MiB, far beyond any ecosystem file (is it the right file?)");
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        return ParseUtf8(bytes, path, baseDirectory, envName);
    }

    /// <summary>Reads up to <paramref name="limit"/> bytes, so an endless file (/dev/zero) ends too.</summary>
    static byte[] ReadAtMost(string path, int limit)
    {
        using var file = File.OpenRead(path);
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while (buffer.Length < limit && (read = file.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>Checks the encoding before parsing: a TOML file is UTF-8 by definition.</summary>
    public static ConfigLoadResult ParseUtf8(ReadOnlySpan<byte> bytes, string sourceName, string baseDirectory, string? envName)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (bytes.StartsWith(bom)) bytes = bytes[3..];
        if (Utf8Validation.FindFirstInvalid(bytes) is { } bad)
            return ConfigLoadResult.Failed(new ConfigError(sourceName, bad.Line, bad.Column, null,
                $"invalid UTF-8 (byte 0x{bad.Byte:X2} at offset {bad.Offset}); save the file as UTF-8"));
        return Parse(Encoding.UTF8.GetString(bytes), sourceName, baseDirectory, envName);
    }

    /// <summary>Pure apart from path checks: <paramref name="baseDirectory"/> stands for the file's folder.</summary>
    public static ConfigLoadResult Parse(string text, string sourceName, string baseDirectory, string? envName)
    {
        if (NestingDepth.FirstBeyond(text, AppLimits.MaxNestingDepth) is { } deep)
            return ConfigLoadResult.Failed(new ConfigError(sourceName, deep.Line, deep.Column, null,
                $"arrays or inline tables nested more than {AppLimits.MaxNestingDepth} levels deep; pmx stops reading here (an ecosystem file needs a few levels at most)"));
        var syntax = SyntaxParser.Parse(text, sourceName, validate: true);
        var syntaxErrors = SyntaxErrors(syntax, sourceName);
        if (syntaxErrors.Count > 0)
            return new ConfigLoadResult([], syntaxErrors, []);

        var positions = new TomlMetadataStore();
        var context = new ConfigTomlContext(new TomlSerializerOptions { SourceName = sourceName, MetadataStore = positions });
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize(text, context.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            return ConfigLoadResult.Failed(new ConfigError(sourceName, Math.Max(1, e.Line ?? 1), Math.Max(1, e.Column ?? 1), null, StripLocation(e.Message)));
        }

        return Validate(root, sourceName, baseDirectory, envName, positions, HeaderPositions(syntax));
    }

    /// <summary>
    /// The strict pass over a parsed document, for any format that can build the same model (a
    /// TomlTable with an "apps" array of tables). <paramref name="positions"/> and
    /// <paramref name="headers"/> locate keys and [[apps]] headers when the format knows them;
    /// without them errors point at line 1.
    /// </summary>
    internal static ConfigLoadResult Validate(TomlTable root, string sourceName, string baseDirectory, string? envName,
        TomlMetadataStore? positions = null, List<(int Line, int Column)>? headers = null) =>
        Validate(new ConfigDocument(sourceName, baseDirectory, positions ?? new TomlMetadataStore()), root, headers ?? [], envName);

    /// <summary>The one validation every format goes through; PM2's formats arrive as a model without positions.</summary>
    internal static ConfigLoadResult Validate(ConfigDocument doc, TomlTable root, List<(int Line, int Column)> headers, string? envName)
    {
        var apps = ReadApps(doc, root, headers, envName);
        if (doc.Errors.Count == 0) CheckEnvName(doc, apps, root, envName);
        return doc.Errors.Count == 0
            ? new ConfigLoadResult(apps, [], doc.Warnings)
            : new ConfigLoadResult([], doc.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList(), doc.Warnings);
    }

    static List<AppSpec> ReadApps(ConfigDocument doc, TomlTable root, List<(int, int)> headers, string? envName)
    {
        foreach (var key in root.Keys.Where(k => k != AppsKey))
        {
            var suggestion = KeySuggestion.Closest(key, [AppsKey]);
            doc.Error(doc.PositionOf(root, key, (1, 1)), key,
                $"unknown top-level key '{key}'{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}; only [[apps]] tables are allowed at the top level");
        }

        if (!root.TryGetValue(AppsKey, out var value))
        {
            if (doc.Errors.Count == 0)
                doc.Error((1, 1), null, "no apps defined (add an [[apps]] table with at least 'name' and 'script')");
            return [];
        }
        var appsAt = doc.PositionOf(root, AppsKey, (1, 1));
        var tables = value switch
        {
            TomlTableArray array => array.ToList(),
            TomlArray array when array.All(item => item is TomlTable) => array.Cast<TomlTable>().ToList(),
            _ => null,
        };
        if (tables is null)
        {
            doc.Error(appsAt, AppsKey, $"'apps' must be an array of tables, written [[apps]] (got {ConfigDocument.Describe(value)})");
            return [];
        }
        if (tables.Count == 0)
        {
            doc.Error(appsAt, AppsKey, "no apps defined (add an [[apps]] table with at least 'name' and 'script')");
            return [];
        }

        var specs = new List<AppSpec>(tables.Count);
        var firstUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tables.Count; i++)
        {
            var table = tables[i];
            var header = i < headers.Count && value is TomlTableArray ? headers[i] : appsAt;
            var label = table.TryGetValue("name", out var n) && n is string s && s.Length > 0 ? $"[[apps]] '{s}'" : $"[[apps]] #{i + 1}";
            var reader = new AppFieldReader(doc, table, label, header);
            var spec = AppSpecReader.Read(reader, envName);
            if (n is string name && name.Length > 0)
            {
                var at = reader.At("name");
                if (firstUse.TryGetValue(name, out var firstLine))
                    doc.Error(at, "name", $"duplicate app name '{name}' (already used by the [[apps]] at line {firstLine}); names must be unique");
                else firstUse[name] = at.Line;
            }
            if (spec != null) specs.Add(spec);
        }
        return specs;
    }

    /// <summary>
    /// A mistyped --env would silently run development settings in production, so a name that no
    /// app defines is an error. Apps without that table just keep their [apps.env].
    /// </summary>
    static void CheckEnvName(ConfigDocument doc, List<AppSpec> apps, TomlTable root, string? envName)
    {
        if (envName is null || apps.Count == 0) return;
        var tables = root[AppsKey] switch { TomlTableArray a => a.ToList(), TomlArray a => a.Cast<TomlTable>().ToList(), _ => [] };
        var defined = tables.SelectMany(t => t.Keys)
            .Where(k => k.StartsWith(AppKeys.EnvPrefix, StringComparison.Ordinal))
            .Select(k => k[AppKeys.EnvPrefix.Length..]).Distinct().Order(StringComparer.Ordinal).ToList();
        if (defined.Contains(envName)) return;
        var available = defined.Count == 0 ? "no app has an env_NAME table" : "defined: " + string.Join(", ", defined);
        doc.Errors.Add(new ConfigError(doc.SourceName, 0, 0, null,
            $"--env {envName}: no app in {doc.SourceName} has an [apps.env_{envName}] table ({available})"));
    }

    /// <summary>Where each [[apps]] header sits, in order, so an app without a name can still be pointed at.</summary>
    static List<(int, int)> HeaderPositions(DocumentSyntax syntax) =>
        syntax.Tables.OfType<TableArraySyntax>()
            .Where(t => t.Name?.ToString().Trim() == AppsKey)
            .Select(t => (t.Span.Start.Line + 1, t.Span.Start.Column + 1))
            .ToList();

    static List<ConfigError> SyntaxErrors(DocumentSyntax syntax, string sourceName)
    {
        var headers = HeaderPositions(syntax);
        return syntax.Diagnostics
            .Where(d => d.Kind == DiagnosticMessageKind.Error && !IsSpuriousRedefinition(d, headers))
            .Select(d => new ConfigError(sourceName, d.Span.Start.Line + 1, d.Span.Start.Column + 1, null, Reword(d.Message)))
            .OrderBy(e => e.Line).ThenBy(e => e.Column)
            .ToList();
    }

    [GeneratedRegex(@"^The key `apps\.\[\d+\]\.[^`]*` is already defined at \((\d+),\d+\)")]
    private static partial Regex RedefinitionPattern();

    [GeneratedRegex(@"^The key `([^`]*)` is already defined at \((\d+),\d+\) with `[^`]*` and cannot be redefined$", RegexOptions.Singleline)]
    private static partial Regex RedefinitionMessage();

    /// <summary>Tomlyn quotes the whole first definition (newlines shown as ␤) and numbers array elements oddly; say it plainly.</summary>
    static string Reword(string message)
    {
        var match = RedefinitionMessage().Match(message);
        if (!match.Success) return message;
        var key = Regex.Replace(match.Groups[1].Value, @"\.\[\d+\]", "");
        return $"'{key}' is already defined at line {match.Groups[2].Value}; a key or table can be defined only once";
    }

    /// <summary>
    /// Tomlyn 2.10.2's validator reports <c>[apps.env]</c> in one app followed by <c>env = {…}</c>
    /// in the next as a redefinition, although each [[apps]] element is a fresh table. A real
    /// redefinition inside an app has both definitions under the same [[apps]] header, so one
    /// whose two definitions sit under different headers is dropped.
    /// </summary>
    static bool IsSpuriousRedefinition(DiagnosticMessage d, List<(int Line, int Column)> headers)
    {
        var match = RedefinitionPattern().Match(d.Message);
        if (!match.Success) return false;
        var firstLine = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int SectionOf(int line) => headers.Count(h => h.Line <= line);
        return SectionOf(firstLine) != SectionOf(d.Span.Start.Line + 1);
    }

    /// <summary>Tomlyn prefixes "file(line,col) : error : "; pmx prints its own location.</summary>
    static string StripLocation(string message)
    {
        var marker = message.IndexOf(": error : ", StringComparison.Ordinal);
        return marker < 0 ? message : message[(marker + ": error : ".Length)..];
    }

    static ConfigLoadResult Unreadable(string path, string why) =>
        ConfigLoadResult.Failed(new ConfigError(path, 0, 0, null, $"cannot read '{path}': {why}"));
}
