using System.Diagnostics;

namespace Pmx.TestWorker;

/// <summary>
/// Leaves a grandchild behind: sh backgrounds a sleep and exits at once, so the sleep is re-parented
/// to the nearest subreaper (pmx, if it set PR_SET_CHILD_SUBREAPER) or PID 1, which must reap it.
/// </summary>
static class Orphan
{
    public static void Spawn(TimeSpan lifetime, Output output)
    {
        if (OperatingSystem.IsWindows())
        {
            SpawnOnWindows(lifetime, output);
            return;
        }
        // The sleep's stdio goes to /dev/null so it does not hold our pipe (or pmx's log pipe) open.
        var script = $"sleep {Duration.ToSleepArgument(lifetime)} </dev/null >/dev/null 2>&1 & echo $!";
        var start = new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var shell = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        var orphanPid = shell.StandardOutput.ReadLine();
        shell.WaitForExit();
        output.Line($"spawned orphan pid={orphanPid} for {Duration.ToSleepArgument(lifetime)}s (sh pid={shell.Id} exited)");
    }

    /// <summary>
    /// Windows has no re-parenting: the grandchild is a copy of us that ignores Ctrl+C (which reaches
    /// our whole process group) and lives for <paramref name="lifetime"/>, so only pmx's Job Object
    /// ends it early. Its stdio is ours to drop, so it never holds pmx's log pipe.
    /// </summary>
    static void SpawnOnWindows(TimeSpan lifetime, Output output)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, ["--ignore", "INT", "--exit-after", $"{(long)lifetime.TotalMilliseconds}ms"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        output.Line($"spawned orphan pid={child.Id} for {Duration.ToSleepArgument(lifetime)}s");
    }
}
