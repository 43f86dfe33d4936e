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
        // The sleep's stdio goes to /dev/null so it does not hold our pipe (or pmx's log pipe) open.
        var script = $"sleep {Duration.ToSleepArgument(lifetime)} </dev/null >/dev/null 2>&1 & echo $!";
        var start = new ProcessStartInfo("/bin/sh", ["-c", script]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var shell = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        var orphanPid = shell.StandardOutput.ReadLine();
        shell.WaitForExit();
        output.Line($"spawned orphan pid={orphanPid} for {Duration.ToSleepArgument(lifetime)}s (sh pid={shell.Id} exited)");
    }
}
