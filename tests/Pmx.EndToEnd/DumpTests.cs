namespace Pmx.EndToEnd;

/// <summary>`pmx save` then `pmx resurrect` through the published binary, with values the old dump could not carry.</summary>
public class DumpTests
{
    [Test, Timeout(60_000)]
    public async Task TwelveHundredHourDurationsAndEscapedArgumentsSurviveSaveAndResurrect(CancellationToken ct)
    {
        await using var sandbox = new PmxSandbox();
        sandbox.WriteConfig($"""
            [[apps]]
            name = "api"
            script = "{PmxSandbox.TestWorker}"
            args = ["--tag", "line one\nline \"two\"\u001b[0m"]
            restart_delay = "1200h"
            min_uptime = 4320000000
            exp_backoff_restart_delay = "1200h"

            """);
        await sandbox.PmxOk(ct, "up");
        var save = await sandbox.PmxOk(ct, "save");
        await Assert.That(save.Stdout).Contains("saved 1 app (1 instance) to ");
        var dump = await File.ReadAllTextAsync(Path.Combine(sandbox.Home, "dump.toml"), ct);
        await Assert.That(dump).Contains("\nrestart_delay = \"1200h\"\n");
        await Assert.That(dump).Contains("\nmin_uptime = \"1200h\"\n");
        await Assert.That(dump).Contains("\"line one\\nline \\\"two\\\"\\u001B[0m\"");
        await Assert.That(Directory.GetFiles(sandbox.Home, "*.tmp")).IsEmpty();

        await sandbox.PmxOk(ct, "kill");
        await sandbox.PmxOk(ct, "resurrect");
        await Poll.Until(async () => (await sandbox.List(ct)) is [{ Status: "online" }], TimeSpan.FromSeconds(15), "the resurrected app online", ct);
    }
}
