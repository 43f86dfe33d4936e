namespace Pmx.Processes;

/// <summary>
/// `pmx __exec`: runs inside every freshly spawned worker, between posix_spawn and the app's
/// execve, to do what posix_spawn cannot (set LISTEN_PID to the worker's own pid).
/// </summary>
internal static class ExecShim
{
    public const string Verb = "__exec";

    public static int Run(ReadOnlySpan<string> args)
    {
        Console.Error.WriteLine("pmx __exec: not available yet in this build.");
        return 127;
    }
}
