using System.Text.Json;
using Tomlyn.Model;

namespace Pmx.Config;

/// <summary>
/// Reads PM2's ecosystem formats, chosen by extension: .js/.cjs/.mjs (evaluated by node), .json and
/// .yaml/.yml. Each becomes the same model an ecosystem.toml parses to, with PM2's alternative key
/// names mapped, then goes through the one validation (ConfigLoader.Validate): a misspelt key is
/// an error with "did you mean", a PM2 key pmx does not implement is a warning.
/// </summary>
internal static class Pm2ConfigReader
{
    public static bool ReadsFormatOf(string path) => Format(path) != null;

    static string? Format(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".js" or ".cjs" or ".mjs" => "js",
        ".json" => "json",
        ".yaml" or ".yml" => "yaml",
        _ => null,
    };

    public static ConfigLoadResult Load(string path, string? envName)
    {
        var (root, failure, warnings) = ReadModel(path);
        if (failure != null) return failure;
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        var doc = new ConfigDocument(path, baseDirectory, new Tomlyn.Serialization.TomlMetadataStore());
        foreach (var warning in warnings) doc.Warnings.Add($"{path}: warning: {warning}");
        return WithoutPositions(ConfigLoader.Validate(doc, root, [], envName), path);
    }

    /// <summary>The file as the model ecosystem.toml parses to, PM2 spellings mapped; `pmx import` prints it.</summary>
    public static (TomlTable Root, ConfigLoadResult? Failure, List<string> Warnings) ReadModel(string path)
    {
        if (Directory.Exists(path)) return (new(), Fail(path, $"cannot read '{path}': it is a directory (pass the file itself)"), []);
        if (!File.Exists(path)) return (new(), Fail(path, $"cannot read '{path}': no such file"), []);
        object? model;
        try
        {
            model = Format(path) switch
            {
                "js" => FromJs(path),
                "json" => FromJson(File.ReadAllText(path)),
                _ => YamlConfigReader.Read(File.ReadAllText(path)),
            };
        }
        catch (Pm2ConfigException e)
        {
            return (new(), Fail(path, e.Message), []);
        }
        catch (JsonException e)
        {
            return (new(), Fail(path, $"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: invalid JSON: {e.Message.Split(" Path:")[0]}"), []);
        }
        catch (IOException e)
        {
            return (new(), Fail(path, $"cannot read '{path}': {e.Message}"), []);
        }
        var root = Root(model, out var warnings);
        return (root, null, warnings);
    }

    static object? FromJs(string path)
    {
        var (json, error) = JsConfigEvaluator.Evaluate(path);
        if (error != null) throw new Pm2ConfigException(error);
        try
        {
            return FromJson(json!);
        }
        catch (JsonException)
        {
            throw new Pm2ConfigException($"{path} did not export an object (module.exports = {{ apps: [...] }})");
        }
    }

    static object? FromJson(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 });
        return ToModel(document.RootElement);
    }

    /// <summary>JSON values as Tomlyn's model holds them: TomlTable, TomlArray, string, long, double, bool; null is left out.</summary>
    static object? ToModel(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var table = new TomlTable();
                foreach (var property in element.EnumerateObject())
                    if (ToModel(property.Value) is { } value) table[property.Name] = value;
                return table;
            case JsonValueKind.Array:
                var array = new TomlArray();
                foreach (var item in element.EnumerateArray())
                    if (ToModel(item) is { } value) array.Add(value);
                return array;
            case JsonValueKind.String: return element.GetString();
            case JsonValueKind.Number: return element.TryGetInt64(out var l) ? (object)l : element.GetDouble();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            default: return null;
        }
    }

    /// <summary>
    /// PM2 accepts { apps: [...] }, a bare array of apps, or one app object. Top-level keys pmx
    /// does not implement (deploy) become warnings; other unknown ones stay for validation to reject.
    /// </summary>
    static TomlTable Root(object? model, out List<string> warnings)
    {
        warnings = [];
        var root = model switch
        {
            TomlArray apps => new TomlTable { ["apps"] = apps },
            TomlTable t when !t.ContainsKey("apps") && t.ContainsKey("script") => new TomlTable { ["apps"] = new TomlArray { t } },
            TomlTable t => t,
            _ => new TomlTable(),
        };
        foreach (var key in root.Keys.Where(Pm2Keys.TopLevelNotImplemented.Contains).ToList())
        {
            warnings.Add($"'{key}' (PM2's deployment section) is not implemented by pmx; ignored");
            root.Remove(key);
        }
        if (root.TryGetValue("apps", out var list) && list is TomlArray array)
            foreach (var app in array.OfType<TomlTable>()) MapPm2Spellings(app);
        return root;
    }

    static void MapPm2Spellings(TomlTable app)
    {
        foreach (var (alias, key) in Pm2Keys.Aliases)
        {
            if (!app.TryGetValue(alias, out var value)) continue;
            app.Remove(alias);
            if (!app.ContainsKey(key)) app[key] = value;
        }
        if (app.TryGetValue("log_date_format", out var format) && format is string moment)
            app["log_date_format"] = MomentFormat.ToDotNet(moment);
        // instances: "4" is a number to PM2.
        if (app.TryGetValue("instances", out var instances) && instances is string text && long.TryParse(text, out var count))
            app["instances"] = count;
    }

    /// <summary>Positions mean nothing in a file pmx did not parse itself: name the file and the app instead.</summary>
    static ConfigLoadResult WithoutPositions(ConfigLoadResult result, string path) => new(
        result.Apps,
        result.Errors.Select(e => e.HasLocation ? new ConfigError(e.File, 0, 0, e.Key, $"{path}: {Reword(e.Message)}") : e).ToList(),
        result.Warnings.Select(w => Reword(w.Replace($"{path}:1:1: ", $"{path}: ", StringComparison.Ordinal))).ToList());

    static string Reword(string message) => message.Replace("[[apps]] ", "app ", StringComparison.Ordinal)
        .Replace("add an app table", "add an app to 'apps'", StringComparison.Ordinal);

    static ConfigLoadResult Fail(string path, string message) =>
        ConfigLoadResult.Failed(new ConfigError(path, 0, 0, null, message));
}

internal sealed class Pm2ConfigException(string message) : Exception(message);
