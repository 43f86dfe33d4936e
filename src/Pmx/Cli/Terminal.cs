namespace Pmx.Cli;

/// <summary>What the CLI's output is connected to, and whether colour belongs there.</summary>
internal static class Terminal
{
    /// <summary>True when stdout is a terminal rather than a pipe or file.</summary>
    public static bool IsStdoutTty => !Console.IsOutputRedirected;

    /// <summary>Colour on stdout: only for a terminal, and never when the user opted out.</summary>
    public static bool UseColourOnStdout =>
        ShouldUseColour(IsStdoutTty, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("TERM"));

    /// <summary>
    /// The rule itself: no-color.org says any non-empty NO_COLOR disables colour; TERM=dumb is a
    /// terminal that cannot show it; a pipe or file would store escape codes as garbage.
    /// </summary>
    public static bool ShouldUseColour(bool isTty, string? noColor, string? term) =>
        isTty && string.IsNullOrEmpty(noColor) && term != "dumb";
}
