using Pmx.Config;

namespace Pmx.Tests.Config;

/// <summary>One .toml per scenario under Fixtures/config; errors name the file by its bare name.</summary>
internal static class ConfigFixture
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "config");

    public static ConfigLoadResult Load(string name, string? env = null) =>
        ConfigLoader.ParseUtf8(File.ReadAllBytes(Path.Combine(Folder, name)), name, Folder, env);

    public static string ErrorText(this ConfigLoadResult result) =>
        string.Join("\n", result.Errors.Select(e => e.ToString()));

    public static AppSpec App(this ConfigLoadResult result, string name) => result.Apps.Single(a => a.Name == name);
}
