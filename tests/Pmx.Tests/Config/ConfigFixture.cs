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

    /// <summary>The file is refused with exactly these errors, in order, and no app.</summary>
    public static async Task ExpectErrors(string fixture, params string[] expected)
    {
        var result = Load(fixture);
        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Apps.Count).IsEqualTo(0);
        await Assert.That(result.ErrorText()).IsEqualTo(string.Join("\n", expected));
    }

    public static AppSpec App(this ConfigLoadResult result, string name) => result.Apps.Single(a => a.Name == name);
}
