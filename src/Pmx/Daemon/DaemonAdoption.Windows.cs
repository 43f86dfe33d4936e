using Microsoft.Extensions.Logging;
using Pmx.Supervisor;

namespace Pmx.Daemon;

// Windows has no keeper: a daemon's workers die with it (their Job Objects close), so a daemon
// starting where one died cannot adopt them. It restores every app and slot from the state file
// instead and starts a new worker for each slot that was running (DESIGN §12, the no-keeper path).
internal static partial class DaemonAdoption
{
    /// <summary>
    /// Brings back the apps of a daemon that died on this PMX_HOME (its state file is left only
    /// when it did not exit cleanly), then records the state on every change.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    public static void RestartOrStart(AppSupervisor supervisor, SupervisorLoop loop, string statePath, ILogger log)
    {
        var warn = (string message) => log.LogWarning("{Message}", message);
        if (DaemonStateFile.Read(statePath, warn) is { } previous)
        {
            var died = previous.Apps.Sum(app => app.Slots.Count(slot => slot.Worker is not null));
            loop.InvokeAsync(() => { supervisor.Adopt(CountingTheRestart(previous), new JobObjectRevival(warn)); return Task.FromResult(0); }).GetAwaiter().GetResult();
            log.LogWarning("the previous daemon died; its {Workers} died with it (Job Objects); restarted {Them}",
                died == 1 ? "1 worker" : $"{died} workers", died == 1 ? "it" : "them");
        }
        RecordStateOnEveryChange(supervisor, loop, statePath, warn);
    }

    /// <summary>
    /// The state with one more restart on every slot that will be started again (it was neither
    /// stopped nor errored): its worker died with the daemon, as after a crash.
    /// </summary>
    public static DaemonState CountingTheRestart(DaemonState state) => state with
    {
        Apps = [.. state.Apps.Select(app => app with
        {
            Slots = [.. app.Slots.Select(slot => slot.IsStopped ? slot : slot with { Restarts = slot.Restarts + 1 })],
        })],
    };
}
