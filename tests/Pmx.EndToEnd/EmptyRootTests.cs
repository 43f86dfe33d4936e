namespace Pmx.EndToEnd;

/// <summary>
/// The published pmx in a root that holds nothing else: the binary, a static busybox for the
/// worker, /dev/null, /dev/urandom and /proc — what pmx needs from a bare root (README "Install").
/// </summary>
public class EmptyRootTests
{
    [Test, Timeout(120_000)]
    public async Task PmxAloneInAnEmptyRootStartsListsAndStopsAWorker(CancellationToken ct)
    {
        Skip.Unless(IsRoot(), "chroot and mounts need root (CI runs as root)");
        Skip.Unless(File.Exists(EmptyRoot.StaticBusybox) && !ElfProgramHeaders.HasInterpreter(EmptyRoot.StaticBusybox),
            $"no static busybox at {EmptyRoot.StaticBusybox}; './build.sh test' installs busybox-static when run as root");

        await using var root = await EmptyRoot.Create(PmxBinary.Path, ct);

        var start = await root.Pmx(ct, "start", "/bin/sleep", "--name", "nap", "--", "1000");
        await Assert.That(start.ExitCode).IsEqualTo(0).Because(start.Stdout + start.Stderr);

        RunResult list = new(-1, "", "");
        await Poll.Until(async () => (list = await root.Pmx(ct, "list")).Stdout.Split('\n').Any(IsOnlineNap),
            TimeSpan.FromSeconds(30), "pmx list in the empty root to show nap online", ct);
        var pid = await root.WorkerPid(ct);
        await Assert.That(pid).IsGreaterThan(0);

        var stop = await root.Pmx(ct, "stop", "nap");
        await Assert.That(stop.ExitCode).IsEqualTo(0).Because(stop.Stdout + stop.Stderr);
        await Assert.That(Directory.Exists($"/proc/{pid}")).IsFalse().Because("the stopped worker must be gone");

        var down = await root.Pmx(ct, "down");
        await Assert.That(down.ExitCode).IsEqualTo(0).Because(down.Stdout + down.Stderr);
        await Poll.Until(() => !root.ProcessesInside().Any(), TimeSpan.FromSeconds(15), "every process of the empty root to exit", ct);
    }

    static bool IsOnlineNap(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["nap", _, _, "online", ..];

    static bool IsRoot() => File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal)
        && l.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) == "0");
}
