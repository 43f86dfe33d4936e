using System.Diagnostics;

namespace Pmx.EndToEnd;

/// <summary>
/// A foreground pmx (`up --no-daemon`) in a sandbox's environment, its output collected. Disposing
/// kills it with its tree if a test left it running, and prints what it said.
/// </summary>
public sealed class ForegroundPmx : IAsyncDisposable
{
    readonly Task<string> _output, _errors;

    ForegroundPmx(Process process, CancellationToken ct)
    {
        Process = process;
        _output = process.StandardOutput.ReadToEndAsync(ct);
        _errors = process.StandardError.ReadToEndAsync(ct);
    }

    public Process Process { get; }

    /// <summary>Starts <paramref name="program"/> with <paramref name="args"/>: pmx itself, or a wrapper that execs it.</summary>
    public static ForegroundPmx Start(PmxSandbox sandbox, string program, IEnumerable<string> args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = sandbox.WorkDir,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in sandbox.Env) start.Environment[key] = value;
        return new ForegroundPmx(Process.Start(start)!, ct);
    }

    /// <summary>SIGTERM, then waits (at most 20 s) for the exit.</summary>
    public async Task TerminateAsync(CancellationToken ct)
    {
        using (var term = Process.Start("kill", ["-TERM", Process.Id.ToString()])) await term.WaitForExitAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        await Process.WaitForExitAsync(deadline.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Console.WriteLine(await _output);
        Console.WriteLine(await _errors);
        Process.Dispose();
    }
}
