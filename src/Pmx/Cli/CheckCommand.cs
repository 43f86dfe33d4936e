namespace Pmx.Cli;

/// <summary>`pmx check`: validate an ecosystem file and print what would run.</summary>
internal static class CheckCommand
{
    public static int Run(string configPath, string? envName)
    {
        Console.Error.WriteLine("pmx: 'check' is not available yet in this build.");
        return ExitCodes.Failure;
    }
}
