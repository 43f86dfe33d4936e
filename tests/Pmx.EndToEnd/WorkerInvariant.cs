namespace Pmx.EndToEnd;

/// <summary>Issue 11's invariant: every live worker process is a row of `pmx list`.</summary>
public static class WorkerInvariant
{
    /// <summary>The daemon's direct children: the workers it spawned (its orphans' reaping aside).</summary>
    public static List<int> DaemonChildren(PmxSandbox sandbox)
    {
        var daemon = int.Parse(File.ReadAllText(Path.Combine(sandbox.Home, "daemon.pid")).Trim());
        return sandbox.ProcessesOfThisHome().Where(pid => ParentOf(pid) == daemon).ToList();
    }

    public static async Task AssertEveryWorkerIsListed(PmxSandbox sandbox, CancellationToken ct)
    {
        var listed = (await sandbox.List(ct)).Where(r => r.Pid > 0).Select(r => r.Pid).ToHashSet();
        var unlisted = DaemonChildren(sandbox).Where(pid => !listed.Contains(pid) && !IsZombie(pid)).ToList();
        await Assert.That(unlisted).IsEmpty().Because("every live worker must be a row of pmx list");
    }

    /// <summary>After `pmx down`, no process of this PMX_HOME may be left.</summary>
    public static Task AssertNothingSurvivesDown(PmxSandbox sandbox, CancellationToken ct) =>
        Poll.Until(() => !sandbox.ProcessesOfThisHome().Any(pid => !IsZombie(pid)), TimeSpan.FromSeconds(20),
            "no process of this PMX_HOME after pmx down", ct);

    static int ParentOf(int pid)
    {
        try
        {
            var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("PPid:", StringComparison.Ordinal));
            return int.Parse(line["PPid:".Length..].Trim());
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { return 0; }
    }

    static bool IsZombie(int pid)
    {
        try { return File.ReadAllLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains("Z")); }
        catch (IOException) { return true; }
    }
}
