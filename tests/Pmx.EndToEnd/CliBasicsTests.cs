namespace Pmx.EndToEnd;

public class CliBasicsTests
{
    [Test, Timeout(30_000)]
    public async Task VersionFlagPrintsTheVersion(CancellationToken ct)
    {
        var result = await PmxRun.Run(["--version"], ct);
        await Assert.That(result.ExitCode).IsEqualTo(0);
        await Assert.That(result.Stdout.Trim()).Matches(@"^\d+\.\d+\.\d+$");
    }
}
