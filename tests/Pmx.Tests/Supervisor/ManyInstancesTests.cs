using Pmx.Control;

namespace Pmx.Tests.Supervisor;

/// <summary>Issue 11: starting thousands of instances must not keep `list` and `kill` waiting for the whole start.</summary>
public class ManyInstancesTests
{
    [Test, Timeout(30_000)]
    public async Task AListAskedWhileThousandsOfInstancesStartIsAnsweredBeforeTheyAreAllSpawned(CancellationToken ct)
    {
        const int instances = 2000;
        using var rig = new SupervisorRig();
        Task<IReadOnlyList<ProcessInfo>>? list = null;
        var spawnedWhenListed = -1;
        // At the first spawn, a `list` arrives: it queues on the loop behind the start in progress.
        rig.Host.OnSpawn = () => list ??= rig.Loop.InvokeAsync(() =>
        {
            spawnedWhenListed = rig.Host.Spawned.Count;
            return Task.FromResult(rig.Supervisor.List());
        });

        var up = rig.Up(SupervisorRig.App(instances: instances));
        await rig.Settle();
        await list!;
        // The start goes on in batches, each queued behind whatever arrived meanwhile.
        while (rig.Host.Spawned.Count < instances) await rig.Settle();
        await rig.Advance(Pmx.Supervisor.AppSupervisor.MaxStartGrace);
        var outcome = await up;

        // Asked from inside the first spawn: spawns run on spawn threads, so the list needs no gap in them.
        await Assert.That(spawnedWhenListed).IsLessThan(instances);
        await Assert.That(outcome.ExitCode).IsEqualTo(0);
        await Assert.That(rig.Host.Spawned.Count).IsEqualTo(instances);
    }

    [Test, Timeout(30_000)]
    public async Task AKillSentWhileThousandsOfInstancesStartEndsTheStartAndNoWorkerItBringsSurvives(CancellationToken ct)
    {
        const int instances = 2000;
        using var rig = new SupervisorRig();
        Task<int>? kill = null;
        var firstSpawn = new Lock();
        rig.Host.OnSpawn = () =>
        {
            Task<int> killed;
            lock (firstSpawn)
            {
                killed = kill ??= rig.Loop.InvokeAsync(() =>
                {
                    rig.Supervisor.KillEverything();
                    return Task.FromResult(rig.Host.Spawned.Count);
                });
            }
            // Every spawn waits for the loop to handle the kill: on a busy machine the spawn threads
            // could otherwise carry out the whole start before the loop's turn came.
            killed.Wait();
        };

        _ = rig.Up(SupervisorRig.App(instances: instances));
        await rig.Settle();
        var spawnedAtKill = await kill!;
        await rig.Settle(); // a start going on after the kill would spawn within these rounds

        // Spawns already under way on the spawn threads may still bring a pid; each is SIGKILLed,
        // and the spawns still queued never begin.
        await Assert.That(spawnedAtKill).IsLessThan(instances);
        await Assert.That(rig.Host.Spawned.Count).IsLessThan(instances);
        foreach (var pid in rig.Host.Spawned)
            await Assert.That(rig.Host.SignalsSentTo(pid)).Contains(Pmx.Processes.SignalNames.SIGKILL);
    }
}
