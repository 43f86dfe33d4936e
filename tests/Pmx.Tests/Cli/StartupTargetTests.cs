using Pmx.Cli;

namespace Pmx.Tests.Cli;

/// <summary>Whose apps the boot unit runs: never root on behalf of a sudo user, and a clear error when nobody can be named.</summary>
public class StartupTargetTests
{
    static readonly PasswdFile Passwd = PasswdFile.Parse("/etc/passwd",
    [
        "root:x:0:0:root:/root:/bin/bash",
        "toor:x:0:0:root alias:/root:/bin/sh",
        "alice:x:1000:1000:Alice:/home/alice:/bin/bash",
        "broken line",
    ]);

    static readonly PasswdFile NoPasswd = PasswdFile.Read("/nonexistent/passwd");

    static async Task<(string User, string PmxHome)> Resolves(StartupRequest request, PasswdFile passwd)
    {
        var target = StartupTarget.Resolve(request, passwd, out var error);
        await Assert.That(error).IsNull();
        return target!.Value;
    }

    static async Task<string> Fails(StartupRequest request, PasswdFile passwd)
    {
        var target = StartupTarget.Resolve(request, passwd, out var error);
        await Assert.That(target).IsNull();
        return error!;
    }

    [Test]
    public async Task UnderSudoTheUnitRunsAsTheInvokingUserWithTheirHome()
    {
        var target = await Resolves(new StartupRequest(null, null, 0, "alice", null, "/root/.pmx"), Passwd);
        await Assert.That(target).IsEqualTo(("alice", "/home/alice/.pmx"));
    }

    [Test]
    [Arguments("root")]
    [Arguments("toor")]
    public async Task UnderSudoAUnitRunningAsRootIsRefusedEvenWhenAskedFor(string user)
    {
        var error = await Fails(new StartupRequest(user, null, 0, "alice", null, "/root/.pmx"), Passwd);
        await Assert.That(error).StartsWith("refusing to write a unit that runs as root from 'sudo' (SUDO_USER=alice)");
    }

    [Test]
    public async Task ARootLoginWithoutSudoSetsUpRootsOwnApps()
    {
        var target = await Resolves(new StartupRequest(null, null, 0, null, null, "/root/.pmx"), Passwd);
        await Assert.That(target).IsEqualTo(("root", "/root/.pmx"));
    }

    [Test]
    public async Task AUserStartsTheirOwnAppsFromTheirPmxHome()
    {
        var target = await Resolves(new StartupRequest(null, null, 1000, null, null, "/home/alice/.pmx"), Passwd);
        await Assert.That(target).IsEqualTo(("alice", "/home/alice/.pmx"));
    }

    [Test]
    public async Task PmxHomeFromTheEnvironmentWinsOverTheHomeFolder()
    {
        var target = await Resolves(new StartupRequest(null, null, 0, "alice", "/srv/pmx", "/root/.pmx"), Passwd);
        await Assert.That(target).IsEqualTo(("alice", "/srv/pmx"));
    }

    [Test]
    public async Task UserAndHomeOptionsNeedNoPasswdFile()
    {
        var target = await Resolves(new StartupRequest("bob", "/srv/bob", 0, null, null, "/root/.pmx"), NoPasswd);
        await Assert.That(target).IsEqualTo(("bob", "/srv/bob/.pmx"));
    }

    [Test]
    public async Task WithoutAPasswdFileTheCurrentUserIsAClearError()
    {
        var error = await Fails(new StartupRequest(null, null, 1000, null, null, "/home/x/.pmx"), NoPasswd);
        await Assert.That(error).IsEqualTo(
            "cannot tell which user you are: uid 1000 is /nonexistent/passwd: no such file. Name the user and home: pmx startup systemd -u USER --hp HOME");
    }

    [Test]
    public async Task AnUnknownUserWithoutHomeOptionIsAClearError()
    {
        var error = await Fails(new StartupRequest("carol", null, 0, null, null, "/root/.pmx"), Passwd);
        await Assert.That(error).IsEqualTo(
            "cannot find the home folder of 'carol': not in /etc/passwd. Pass it: pmx startup systemd -u carol --hp HOME (or set PMX_HOME)");
    }

    [Test]
    [Arguments("alice\nUser=root")]
    [Arguments("-alice")]
    [Arguments("al ice")]
    public async Task AUserNameAUnitCannotHoldIsRefused(string user)
    {
        var error = await Fails(new StartupRequest(user, "/home/alice", 0, null, null, "/root/.pmx"), Passwd);
        await Assert.That(error).Contains("is not a user name a unit can hold");
        await Assert.That(error).DoesNotContain("\n");
    }
}
