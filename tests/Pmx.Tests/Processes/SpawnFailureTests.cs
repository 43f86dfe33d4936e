using Pmx.Processes;

namespace Pmx.Tests.Processes;

/// <summary>Requests that cannot start fail before anything is spawned, with a message a user can act on.</summary>
public class SpawnFailureTests
{
    static LinuxProcessHost Host => new(ChildProcesses.ShimPath);

    [Test]
    public async Task MissingExecutableNamesTheProgramTheErrorAndThePathSearched()
    {
        var request = ChildProcesses.Request("pmx-no-such-program", "--flag") with
        {
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        };

        var e = await Assert.That(() => Host.Spawn(request)).Throws<SpawnException>();

        await Assert.That(e!.Message).IsEqualTo("cannot start 'pmx-no-such-program': no such file or directory (ENOENT) (not found in PATH=/usr/bin:/bin)");
        await Assert.That(e.Program).IsEqualTo("pmx-no-such-program");
    }

    [Test]
    public async Task MissingAbsolutePathSaysNoSuchFile()
    {
        var e = await Assert.That(() => Host.Spawn(ChildProcesses.Request("/opt/pmx-nothing/server"))).Throws<SpawnException>();

        await Assert.That(e!.Message).IsEqualTo("cannot start '/opt/pmx-nothing/server': no such file or directory (ENOENT)");
    }

    [Test]
    public async Task FileWithoutExecutePermissionSaysPermissionDenied()
    {
        var e = await Assert.That(() => Host.Spawn(ChildProcesses.Request("/etc/passwd"))).Throws<SpawnException>();

        await Assert.That(e!.Message).StartsWith("cannot start '/etc/passwd': permission denied (EACCES)");
    }

    [Test]
    public async Task MissingWorkingDirectoryIsNamed()
    {
        var request = ChildProcesses.Request("/bin/true") with { WorkingDirectory = "/nonexistent/pmx-cwd" };

        var e = await Assert.That(() => Host.Spawn(request)).Throws<SpawnException>();

        await Assert.That(e!.Message).IsEqualTo("cannot start '/bin/true': cwd '/nonexistent/pmx-cwd' does not exist");
    }

    [Test]
    public async Task MissingShimIsNamed()
    {
        var host = new LinuxProcessHost("/nonexistent/pmx");

        var e = await Assert.That(() => host.Spawn(ChildProcesses.Request("/bin/true"))).Throws<SpawnException>();

        await Assert.That(e!.Message).IsEqualTo("cannot start '/bin/true': the pmx exec shim '/nonexistent/pmx' is missing (no such file or directory (ENOENT))");
    }
}
