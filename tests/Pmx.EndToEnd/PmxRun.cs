using System.Diagnostics;

namespace Pmx.EndToEnd;

public sealed record RunResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the published pmx binary as a user would, with a bounded wait.</summary>
public static class PmxRun
{
    public static async Task<RunResult> Run(IReadOnlyList<string> args, CancellationToken ct,
        IReadOnlyDictionary<string, string>? env = null, string? cwd = null)
    {
        var psi = new ProcessStartInfo(PmxBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? PmxBinary.RepoRoot,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return await Run(psi, ct);
    }

    /// <summary>Runs any program with stdout and stderr redirected; a cancelled wait kills its process tree.</summary>
    public static async Task<RunResult> Run(ProcessStartInfo psi, CancellationToken ct)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        try { await p.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { p.Kill(entireProcessTree: true); throw; }
        return new RunResult(p.ExitCode, await stdout, await stderr);
    }
}
