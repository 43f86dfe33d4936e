using Pmx.Cli;
using Pmx.Control;

namespace Pmx.Tests.Cli;

public class ListRendererTests
{
    static readonly IReadOnlyList<ProcessInfo> Rows =
    [
        new() { Name = "web", Instance = 0, Id = 3, Pid = 4242, Status = ProcessStatus.Online, Restarts = 0, UptimeMs = 12_000, CpuPercent = 0.25, MemoryBytes = 13_002_342 },
        new() { Name = "web", Instance = 1, Id = 4, Pid = 4250, Status = ProcessStatus.Launching, Restarts = 12, UptimeMs = 300, CpuPercent = 101.5, MemoryBytes = 2_147_483_648 },
        new() { Name = "queue-worker", Instance = 0, Id = 12, Pid = 0, Status = ProcessStatus.Errored, Restarts = 15 },
    ];

    [Test]
    public async Task TableAlignsEveryColumnShowsTheDaemonWideIdAndDashesForInstancesWithoutAProcess()
    {
        var table = ListRenderer.RenderTable(Rows, colour: false);

        await Assert.That(table).IsEqualTo(
            "NAME          ID  PID   STATUS     UPTIME  RESTARTS  CPU     MEMORY\n" +
            "web           3   4242  online     12s     0         0.3%    12.4 MB\n" +
            "web           4   4250  launching  0s      12        101.5%  2.0 GB\n" +
            "queue-worker  12  -     errored    -       15        -       -\n");
    }

    [Test]
    public async Task ColourWrapsOnlyTheStatusWordAndKeepsColumnsAligned()
    {
        var table = ListRenderer.RenderTable(Rows, colour: true);
        var lines = table.Split('\n');

        await Assert.That(lines[1]).IsEqualTo("web           3   4242  \e[32monline\e[0m     12s     0         0.3%    12.4 MB");
        await Assert.That(lines[3]).Contains("\e[31merrored\e[0m");
        await Assert.That(lines[0]).DoesNotContain("\e[");
    }

    [Test]
    public async Task NoColourMeansNoEscapeCodes()
    {
        await Assert.That(ListRenderer.RenderTable(Rows, colour: false)).DoesNotContain("\e");
    }

    [Test]
    public async Task AnEmptyListSaysHowToStartApps()
    {
        await Assert.That(ListRenderer.RenderTable([], colour: true))
            .IsEqualTo("No apps yet. Start some with 'pmx up' (reads ./ecosystem.toml) or 'pmx start <script>'.\n");
    }

    [Test]
    public async Task JsonIsOneArrayOnOneLine()
    {
        var json = ListRenderer.RenderJson(Rows);

        await Assert.That(json).StartsWith("""[{"name":"web","instance":0,"pid":4242,"status":"online",""");
        await Assert.That(json).Contains("\"status_text\":null,\"id\":3}");
        await Assert.That(json.TrimEnd('\n')).DoesNotContain("\n");
        await Assert.That(json).EndsWith("]\n");
        await Assert.That(ListRenderer.RenderJson([])).IsEqualTo("[]\n");
    }

    [Test]
    [Arguments(0L, "0s")]
    [Arguments(999L, "0s")]
    [Arguments(12_000L, "12s")]
    [Arguments(59_999L, "59s")]
    [Arguments(60_000L, "1m")]
    [Arguments(5 * 60_000L + 59_000, "5m")]
    [Arguments(3 * 3_600_000L, "3h")]
    [Arguments(86_399_999L, "23h")]
    [Arguments(2 * 86_400_000L + 3_600_000, "2d")]
    [Arguments(-5L, "0s")]
    public async Task UptimeIsTheLargestWholeUnit(long uptimeMs, string expected)
    {
        await Assert.That(ListRenderer.FormatUptime(uptimeMs)).IsEqualTo(expected);
    }

    [Test]
    [Arguments(0L, "0 B")]
    [Arguments(1023L, "1023 B")]
    [Arguments(1024L, "1.0 KB")]
    [Arguments(13_002_342L, "12.4 MB")]
    [Arguments(300L * 1024 * 1024, "300.0 MB")]
    [Arguments(1536L * 1024 * 1024, "1.5 GB")]
    public async Task MemoryIsInBinaryUnitsWithOneDecimal(long bytes, string expected)
    {
        await Assert.That(ListRenderer.FormatMemory(bytes)).IsEqualTo(expected);
    }

    [Test]
    [Arguments(0.0, "0%")]
    [Arguments(0.25, "0.3%")]
    [Arguments(12.0, "12%")]
    [Arguments(250.04, "250%")]
    public async Task CpuHasAtMostOneDecimal(double percent, string expected)
    {
        await Assert.That(ListRenderer.FormatCpu(percent)).IsEqualTo(expected);
    }
}
