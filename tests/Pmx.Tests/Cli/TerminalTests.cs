using Pmx.Cli;

namespace Pmx.Tests.Cli;

public class TerminalTests
{
    [Test]
    public async Task ATerminalGetsColour() =>
        await Assert.That(Terminal.ShouldUseColour(isTty: true, noColor: null, term: "xterm-256color")).IsTrue();

    [Test]
    public async Task APipeGetsNoColour() =>
        await Assert.That(Terminal.ShouldUseColour(isTty: false, noColor: null, term: "xterm")).IsFalse();

    [Test]
    public async Task AnyNonEmptyNoColorTurnsColourOff() =>
        await Assert.That(Terminal.ShouldUseColour(isTty: true, noColor: "0", term: "xterm")).IsFalse();

    [Test]
    public async Task AnEmptyNoColorIsIgnored() =>
        await Assert.That(Terminal.ShouldUseColour(isTty: true, noColor: "", term: "xterm")).IsTrue();

    [Test]
    public async Task ADumbTerminalGetsNoColour() =>
        await Assert.That(Terminal.ShouldUseColour(isTty: true, noColor: null, term: "dumb")).IsFalse();
}
