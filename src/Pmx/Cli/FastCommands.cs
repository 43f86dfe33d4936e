namespace Pmx.Cli;

/// <summary>
/// The invocations scripts repeat most, `pmx --version` and a plain `pmx list` / `pmx ls` (with or
/// without --json), run before the CLI framework builds its command table and parser (a tenth of
/// the CPU time of `pmx list`, measured with perf). Only these exact argument lists: anything else
/// (a filter, --help, a typo) goes to the framework, so its parsing, help and errors stay the only ones.
/// </summary>
internal static class FastCommands
{
    /// <summary>The exit code, or null when <paramref name="args"/> is for the framework.</summary>
    public static int? TryRun(string[] args) => args switch
    {
        ["--version"] => AsTheFrameworkWould(PrintVersion),
        ["list" or "ls"] => AsTheFrameworkWould(() => ListCommand.Run(json: false, filter: null)),
        ["list" or "ls", "--json"] => AsTheFrameworkWould(() => ListCommand.Run(json: true, filter: null)),
        _ => null,
    };

    static int PrintVersion()
    {
        StandardOutput.WriteLine(BuildInfo.Version);
        return ExitCodes.Ok;
    }

    /// <summary>What ConsoleAppFramework does with a command's exception, so a failure reads the same on both paths.</summary>
    static int AsTheFrameworkWould(Func<int> command)
    {
        try { return command(); }
        catch (OperationCanceledException) { return 130; }
        catch (Exception e)
        {
            Console.WriteLine(e.ToString());
            return ExitCodes.Failure;
        }
    }
}
