namespace Pmx.Tests;

public class SmokeTests
{
    [Test]
    public async Task VersionIsSemantic()
    {
        await Assert.That(Pmx.BuildInfo.Version).Matches(@"^\d+\.\d+\.\d+");
    }
}
