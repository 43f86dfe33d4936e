using Microsoft.Extensions.Logging;
using Pmx.Keeper;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Daemon;

/// <summary>A background daemon's start over a dead one's workers, and its state file from then on (DESIGN §12).</summary>
internal static partial class DaemonAdoption
{
    /// <summary>
    /// Takes over the workers of a daemon that died on this PMX_HOME (DESIGN §12), then records
    /// the state on every change so the next daemon can do the same. Without a keeper a live
    /// worker cannot be taken over (its pipes died with the old daemon): it is stopped, and said so.
    /// </summary>
    /// <returns>The watch over adopted workers' exits (WatchAdoptedExits), to dispose with the daemon.</returns>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static IDisposable? AdoptOrStart(Supervisor.AppSupervisor supervisor, SupervisorLoop loop, KeeperLink? keeper, KeptPlumbing? kept,
        Sockets.Node.NodeListenSockets nodeListens, string statePath, ILogger log)
    {
        var warn = (string message) => log.LogWarning("{Message}", message);
        if (keeper is not null)
        {
            nodeListens.KeepWith(handle =>
            {
                var key = KeeperLink.KeyOf(handle);
                keeper.Hold(key, handle);
                return key;
            }, keeper.Drop);
            nodeListens.Bound = () => loop.Post(() => supervisor.StateChanged?.Invoke());
        }
        if (DaemonStateFile.Read(statePath, warn) is { } previous)
        {
            if (keeper is not null) NodeListenAdoption.Restore(previous, keeper, nodeListens, log);
            IWorkerAdoption adoption = keeper is null ? new NoKeeperAdoption() : new WorkerAdoption(keeper, kept!, warn);
            loop.InvokeAsync(() => { supervisor.Adopt(previous, adoption); return Task.FromResult(0); }).GetAwaiter().GetResult();
        }
        else keeper?.ReportAdopted();
        keeper?.Start((pid, status) =>
        {
            ChildRegistry.OfThisProcess.ForgetAdopted(pid);
            supervisor.OnChildExited(pid, status);
        });
        var adoptedExits = keeper is null ? null : WatchAdoptedExits(supervisor);
        RecordStateOnEveryChange(supervisor, loop, statePath, warn);
        return adoptedExits;
    }

    /// <summary>Writes the state file now and, once per loop turn, after every change (the next daemon reads it if this one dies).</summary>
    static void RecordStateOnEveryChange(Supervisor.AppSupervisor supervisor, SupervisorLoop loop, string statePath, Action<string> warn)
    {
        var isWritePending = false;
        supervisor.StateChanged = () =>
        {
            if (isWritePending) return;
            isWritePending = true;
            // Once per loop turn, after every event of that turn has been applied.
            loop.Post(() =>
            {
                isWritePending = false;
                if (supervisor.StateChanged is null) return;
                try { DaemonStateFile.Write(statePath, supervisor.Snapshot()); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    warn($"cannot write {statePath} ({e.Message}); a daemon started after this one dies could not adopt the workers");
                }
            });
        };
        supervisor.StateChanged();
    }

    /// <summary>
    /// Why a foreground supervisor (`pmx up --no-daemon`, `pmx resurrect --no-daemon`) must not
    /// start on this PMX_HOME, or null: a background daemon died and the workers it recorded still
    /// run. Foreground mode has no keeper to take them over (and their pipes may be gone with the
    /// old one), and starting the apps beside them would serve every app twice.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static string? RefusalOverLiveWorkers(string statePath)
    {
        if (DaemonStateFile.Read(statePath, _ => { }) is not { } previous) return null;
        var live = previous.Apps.SelectMany(app => app.Slots.Where(slot => slot.Worker is { } w && IsStillRunning(w))
            .Select(slot => $"{app.Spec.Name}#{slot.Index} pid {slot.Worker!.Pid}")).ToList();
        if (live.Count == 0) return null;
        var pids = string.Join(' ', previous.Apps.SelectMany(a => a.Slots).Select(s => s.Worker).OfType<WorkerRecord>()
            .Where(IsStillRunning).Select(w => "-" + w.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return $"pmx: not starting in the foreground: the background daemon of {Path.GetDirectoryName(statePath)} died and left "
            + $"{live.Count} worker(s) running ({string.Join(", ", live)}); starting the apps here would run them twice. "
            + $"Either let a background daemon take them over ('pmx up' without --no-daemon; 'pmx kill' then stops everything), "
            + $"or stop them yourself ('kill -TERM -- {pids}'), then run this again.";
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    static bool IsStillRunning(WorkerRecord worker) =>
        ProcessStats.TryRead(worker.Pid, out var sample) && sample.StartTimeTicks == worker.StartTimeTicks
        && ProcessLineage.TryRead(worker.Pid, out _, out var isZombie) && !isZombie;

    /// <summary>
    /// The keeper reports the exits of adopted workers it reaps. One it cannot reap (it replaced a
    /// killed keeper, so the worker is init's child) still shows through the worker's pidfd: if no
    /// report came by the next look, the exit is reported with an unknown status.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    static Timer WatchAdoptedExits(Supervisor.AppSupervisor supervisor)
    {
        var seenBefore = new HashSet<int>();
        return new Timer(_ =>
        {
            var exited = ChildRegistry.OfThisProcess.AdoptedThatExited();
            foreach (var pid in exited.Where(seenBefore.Contains))
            {
                ChildRegistry.OfThisProcess.ForgetAdopted(pid);
                supervisor.OnChildExited(pid, ExitStatus.Unknown);
            }
            seenBefore = [.. exited];
        }, null, AdoptedExitCheck, AdoptedExitCheck);
    }

    static readonly TimeSpan AdoptedExitCheck = TimeSpan.FromSeconds(1);
}
