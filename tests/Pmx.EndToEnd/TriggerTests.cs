using System.Text.RegularExpressions;

namespace Pmx.EndToEnd;

/// <summary>Reloads pmx starts by itself (watch, max_memory_restart) and log rotation under a fast writer.</summary>
public partial class TriggerTests
{
    [Test, Timeout(60_000)]
    public async Task TouchingAWatchedFileReloadsThatAppOnceAndNoOther(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        var watched = Directory.CreateDirectory(Path.Combine(sandbox.WorkDir, "src")).FullName;
        sandbox.WriteConfig($"""
            [[apps]]
            name = "watched"
            script = "{PmxSandbox.TestWorker}"
            watch = ["{watched}"]

            [[apps]]
            name = "bystander"
            script = "{PmxSandbox.TestWorker}"
            """);
        await sandbox.PmxOk(ct, "up");
        var before = await sandbox.List(ct);
        var file = Path.Combine(watched, "app.js");
        await File.WriteAllTextAsync(file, "one", ct);
        await File.AppendAllTextAsync(file, "two", ct);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow);
        await Poll.Until(async () => (await sandbox.List(ct)).Single(r => r.Name == "watched") is { Restarts: 1, Status: "online" },
            TimeSpan.FromSeconds(10), "the watched app reloaded", ct);
        // That several events of one save make one reload is the debouncer's job, proved on a fake
        // clock by ChangeDebouncerTests; here: the reload happened, and to this app only.
        var after = await sandbox.List(ct);
        await Assert.That(after.Single(r => r.Name == "watched").Restarts).IsEqualTo(1);
        await Assert.That(after.Single(r => r.Name == "watched").Pid).IsNotEqualTo(before.Single(r => r.Name == "watched").Pid);
        await Assert.That(after.Single(r => r.Name == "bystander").Pid).IsEqualTo(before.Single(r => r.Name == "bystander").Pid);
        await Assert.That(after.Single(r => r.Name == "bystander").Restarts).IsEqualTo(0);
    }

    [Test, Timeout(60_000)]
    public async Task AWorkerGrowingPastMaxMemoryRestartIsReplacedAndDescribeSaysWhy(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "leaky"
            script = "{PmxSandbox.TestWorker}"
            args = ["--grow-memory", "40"]
            max_memory_restart = "60M"
            """);
        await sandbox.PmxOk(ct, "up");
        var first = (await sandbox.List(ct)).Single().Pid;
        await Poll.Until(async () => (await sandbox.List(ct)).Single() is { Status: "online" } row && row.Pid != first,
            TimeSpan.FromSeconds(20), "the leaky worker replaced", ct);
        // The replacement is online before the old worker gets kill_signal; it then exits, and the reason is recorded.
        await Poll.Until(() => !Directory.Exists($"/proc/{first}"), TimeSpan.FromSeconds(15), "the old worker to exit", ct);
        await Poll.Until(async () => (await sandbox.PmxOk(ct, "describe", "leaky")).Stdout.Contains("over max_memory_restart 60"),
            TimeSpan.FromSeconds(10), "describe to say why the worker was replaced", ct);
    }

    [Test, Timeout(60_000)]
    public async Task CronRestartReloadsTheAppWhenDue(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "nightly"
            script = "{PmxSandbox.TestWorker}"
            cron_restart = "*/2 * * * * *"
            """);
        await sandbox.PmxOk(ct, "up");
        var first = (await sandbox.List(ct)).Single().Pid;
        await Poll.Until(async () => (await sandbox.List(ct)).Single() is { Status: "online", Restarts: >= 1 } row && row.Pid != first,
            TimeSpan.FromSeconds(10), "a cron-driven reload", ct);
    }

    [Test, Timeout(180_000)]
    public async Task RotationKeepsEveryOneOf200kLinesExactlyOnceAndAtMostLogRetainOldFiles(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "chatty"
            script = "{PmxSandbox.TestWorker}"
            args = ["--lines", "200000"]
            log_max_size = "1M"
            log_retain = 12
            time = true
            """);
        await sandbox.PmxOk(ct, "up");
        var logs = Path.Combine(sandbox.Home, "logs");
        var seen = new int[200_001];
        await Poll.Until(() =>
        {
            Array.Clear(seen);
            foreach (var path in Directory.GetFiles(logs, "chatty-0-out.log*"))
                foreach (var line in File.ReadLines(path))
                    if (LinePattern().Match(line) is { Success: true } m) seen[int.Parse(m.Groups[1].Value)]++;
                    else if (line.Contains(": testworker pid=", StringComparison.Ordinal)) continue; // its own status lines
                    else throw new InvalidOperationException($"a split or foreign line in {path}: '{line}'");
            // A scan that races a rotation can read a file twice or miss one; once the last line is
            // written nothing rotates any more, so a later scan sees every line exactly once.
            return seen.Skip(1).All(count => count == 1);
        }, TimeSpan.FromSeconds(150), "every line from 1 to 200000 exactly once in the logs", ct);
        var rotated = Directory.GetFiles(logs, "chatty-0-out.log.*");
        await Assert.That(rotated.Length).IsGreaterThan(0);
        await Assert.That(rotated.Length).IsLessThanOrEqualTo(12);
        foreach (var path in Directory.GetFiles(logs, "chatty-0-out.log*"))
            await Assert.That(new FileInfo(path).Length).IsLessThanOrEqualTo(1024 * 1024);
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}: line (\d+)$")]
    private static partial Regex LinePattern();
}
