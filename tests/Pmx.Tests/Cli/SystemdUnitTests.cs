using Pmx.Cli;

namespace Pmx.Tests.Cli;

/// <summary>The unit `pmx startup systemd` writes, line for line, and the values it refuses.</summary>
public class SystemdUnitTests
{
    [Test]
    public async Task UnitForAPlainUserAndPathHasExactlyTheseLines()
    {
        var unit = SystemdUnit.Render("/usr/local/bin/pmx", "/home/alice/.pmx", "alice");
        await Assert.That(unit).IsEqualTo("""
            [Unit]
            Description=pmx process manager (alice)
            After=network-online.target
            Wants=network-online.target

            [Service]
            Type=notify
            NotifyAccess=main
            User=alice
            Environment=PMX_HOME=/home/alice/.pmx
            ExecStart=/usr/local/bin/pmx resurrect --no-daemon
            ExecReload=/usr/local/bin/pmx reload all
            # pmx stops each app gracefully (kill_signal, then SIGKILL after kill_timeout); systemd
            # signals only pmx itself and waits, then cleans up whatever is left.
            KillMode=mixed
            TimeoutStartSec=120
            TimeoutStopSec=120
            Restart=on-failure
            RestartSec=2
            LimitNOFILE=65536

            [Install]
            WantedBy=multi-user.target

            """);
    }

    [Test]
    public async Task SpacesQuotesBackslashesPercentAndDollarAreEscapedPerSystemdSyntax()
    {
        var lines = SystemdUnit.Render("/opt/my pmx/$v%i/pmx", "/srv/50% \"a\"\\b $HOME", "alice").Split('\n');
        await Assert.That(lines).Contains("Environment=\"PMX_HOME=/srv/50%% \\\"a\\\"\\\\b $HOME\"");
        await Assert.That(lines).Contains("ExecStart=\"/opt/my pmx/$$v%%i/pmx\" resurrect --no-daemon");
        await Assert.That(lines).Contains("ExecReload=\"/opt/my pmx/$$v%%i/pmx\" reload all");
    }

    [Test]
    [Arguments("/home/alice/.pmx\nUser=root")]
    [Arguments("/home/alice/.pmx\rExecStartPre=/bin/sh")]
    [Arguments("/home/alice\u001b[2J")]
    public async Task AValueWithAControlCharacterIsRefusedNotWrittenAsALine(string pmxHome)
    {
        await Assert.That(SystemdUnit.Unsafe(pmxHome)).IsNotNull();
        await Assert.That(() => SystemdUnit.Render("/usr/local/bin/pmx", pmxHome, "alice")).Throws<ArgumentException>();
    }
}
