using Pmx.Processes;

namespace Pmx.Tests.Processes;

public class ExitStatusTests
{
    [Test]
    public async Task WaitStatusOfANormalExitGivesTheCode()
    {
        var status = ExitStatus.FromWaitStatus(3 << 8);

        await Assert.That(status).IsEqualTo(new ExitStatus(3, null));
        await Assert.That(status.Describe()).IsEqualTo("exited 3");
        await Assert.That(status.ShellCode).IsEqualTo(3);
    }

    [Test]
    public async Task WaitStatusOfAKilledProcessGivesTheSignal()
    {
        var status = ExitStatus.FromWaitStatus(9);

        await Assert.That(status).IsEqualTo(new ExitStatus(null, 9));
        await Assert.That(status.Describe()).IsEqualTo("killed by SIGKILL");
        await Assert.That(status.ShellCode).IsEqualTo(137);
    }

    [Test]
    public async Task CoreDumpFlagDoesNotHideTheSignal()
    {
        var status = ExitStatus.FromWaitStatus(0x80 | 11);

        await Assert.That(status.Describe()).IsEqualTo("killed by SIGSEGV");
    }

    [Test]
    public async Task RealTimeSignalWithoutANameIsDescribedByNumber()
    {
        await Assert.That(ExitStatus.KilledBy(40).Describe()).IsEqualTo("killed by signal 40");
    }

    [Test]
    public async Task ExitZeroIsDescribedPlainly()
    {
        await Assert.That(ExitStatus.FromWaitStatus(0).Describe()).IsEqualTo("exited 0");
    }

    [Test]
    public async Task WaitidReportsAnExitCodeOrTheSignalThatKilled()
    {
        await Assert.That(ExitStatus.FromChildExit(Pmx.Interop.Interop.CLD_EXITED, 3)).IsEqualTo(ExitStatus.Exited(3));
        await Assert.That(ExitStatus.FromChildExit(Pmx.Interop.Interop.CLD_KILLED, 9)).IsEqualTo(ExitStatus.KilledBy(9));
        await Assert.That(ExitStatus.FromChildExit(Pmx.Interop.Interop.CLD_DUMPED, 11)).IsEqualTo(ExitStatus.KilledBy(11));
    }
}
