using Pmx.Config;

namespace Pmx.Cli;

/// <summary>How every verb that reads an ecosystem file reports what the loader found.</summary>
internal static class ConfigReport
{
    /// <summary>
    /// Warnings and errors to stderr (errors as <c>file:line:col: message</c>, so editors can jump
    /// to them); true when the file is valid.
    /// </summary>
    public static bool Print(ConfigLoadResult result)
    {
        foreach (var warning in result.Warnings)
            Console.Error.WriteLine(warning);
        foreach (var error in result.Errors)
            Console.Error.WriteLine(error.HasLocation ? error.ToString() : "pmx: " + error);
        return result.IsValid;
    }
}
