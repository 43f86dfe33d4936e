using System.Globalization;
using System.Text;
using Pmx.Config;
using Tomlyn.Model;

namespace Pmx.Cli;

/// <summary>
/// `pmx import FILE`: prints the ecosystem.toml equivalent of a PM2 config (.js, .json, .yml), for
/// users who want to move to TOML. The file is validated first; keys pmx does not implement stay
/// as comments, so nothing the user wrote disappears silently.
/// </summary>
internal static class ImportCommand
{
    public static int Run(string path)
    {
        if (!Pm2ConfigReader.ReadsFormatOf(path))
        {
            Console.Error.WriteLine($"pmx: import reads PM2 configs (.js, .cjs, .mjs, .json, .yaml, .yml); '{path}' is not one");
            return ExitCodes.Usage;
        }
        var loaded = ConfigLoader.Load(path, envName: null);
        if (!ConfigReport.Print(loaded)) return ExitCodes.Usage;
        var (root, _, _) = Pm2ConfigReader.ReadModel(path);
        Console.Out.Write(Render(root, path));
        return ExitCodes.Ok;
    }

    public static string Render(TomlTable root, string source)
    {
        var toml = new StringBuilder($"# Converted from {Path.GetFileName(source)} by 'pmx import'.\n");
        var apps = root.TryGetValue("apps", out var list) && list is TomlArray array ? array.OfType<TomlTable>() : [];
        foreach (var app in apps)
        {
            toml.Append("\n[[apps]]\n");
            var tables = new List<(string Key, TomlTable Table)>();
            foreach (var (key, value) in app)
            {
                if (value is TomlTable table) { tables.Add((key, table)); continue; }
                var line = $"{key} = {Value(value)}\n";
                toml.Append(Pm2Keys.IsNotImplemented(key) ? "# not implemented by pmx: " + line : line);
            }
            foreach (var (key, table) in tables)
            {
                toml.Append($"\n[apps.{key}]\n");
                foreach (var (name, value) in table) toml.Append($"{Config.TomlString.Quote(name)} = {Value(value)}\n");
            }
        }
        return toml.ToString();
    }

    static string Value(object value) => value switch
    {
        string s => Config.TomlString.Quote(s),
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        TomlArray a => "[" + string.Join(", ", a.Select(item => Value(item!))) + "]",
        TomlTable t => "{ " + string.Join(", ", t.Select(kv => $"{Config.TomlString.Quote(kv.Key)} = {Value(kv.Value)}")) + " }",
        _ => Config.TomlString.Quote(value.ToString() ?? ""),
    };
}
