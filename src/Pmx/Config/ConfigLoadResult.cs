namespace Pmx.Config;

/// <summary>
/// What reading an ecosystem file produced. Apps is empty whenever there is an error: a file is
/// used whole or not at all, so `pmx up` never starts half of a broken file.
/// </summary>
public sealed record ConfigLoadResult(
    IReadOnlyList<AppSpec> Apps,
    IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<string> Warnings)
{
    public bool IsValid => Errors.Count == 0;

    internal static ConfigLoadResult Failed(ConfigError error) => new([], [error], []);
}
