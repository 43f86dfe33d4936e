using Pmx.Sockets;
using Pmx.Sockets.Handoff;

namespace Pmx.Tests.Sockets;

/// <summary>The hand-off pipe's line protocol, shared by the daemon and Pmx.Hosting.</summary>
public class HandoffWireTests
{
    [Test]
    public async Task PipeNamesCarryTheDaemonPidAndDifferPerWorker()
    {
        var first = HandoffWire.PipeName(4242, Guid.NewGuid());
        var second = HandoffWire.PipeName(4242, Guid.NewGuid());
        await Assert.That(first).StartsWith("pmx-handoff-4242-");
        await Assert.That(first).IsNotEqualTo(second);
        // A bare name: no path separators (\\.\pipe\ is added by the pipe API).
        await Assert.That(first.Contains('\\') || first.Contains('/')).IsFalse();
    }

    [Test]
    public async Task ASocketLineCarriesTheProtocolInfoByteForByte()
    {
        var info = Enumerable.Range(0, HandoffWire.ProtocolInfoSize).Select(i => (byte)(i * 7)).ToArray();
        var line = HandoffWire.SocketLine(info);
        await Assert.That(line).StartsWith("SOCKET=");
        await Assert.That(line.Contains('\n')).IsFalse();
        var answer = HandoffWire.ParseAnswer(line);
        await Assert.That(answer.Error).IsNull();
        await Assert.That(answer.ProtocolInfo!).IsEquivalentTo(info, CollectionOrdering.Matching);
    }

    [Test]
    public async Task ARecordOfTheWrongSizeIsRefusedOnBothSides()
    {
        await Assert.That(() => HandoffWire.SocketLine(new byte[10])).Throws<ArgumentException>();
        var answer = HandoffWire.ParseAnswer("SOCKET=" + Convert.ToBase64String(new byte[10]));
        await Assert.That(answer.ProtocolInfo).IsNull();
        await Assert.That(answer.Error!).Contains("628-byte");
    }

    [Test]
    public async Task AnErrorLineIsOneLineAndReadsBackAsTheReason()
    {
        var line = HandoffWire.ErrorLine("socket closed\nby a stop");
        await Assert.That(line.Contains('\n')).IsFalse();
        var answer = HandoffWire.ParseAnswer(line);
        await Assert.That(answer.ProtocolInfo).IsNull();
        await Assert.That(answer.Error).IsEqualTo("socket closed by a stop");
    }

    [Test]
    public async Task AClosedPipeOrAStrangeLineIsAnErrorNotACrash()
    {
        await Assert.That(HandoffWire.ParseAnswer(null).Error!).Contains("closed");
        await Assert.That(HandoffWire.ParseAnswer("HELLO").Error!).Contains("SOCKET=");
        await Assert.That(HandoffWire.ParseAnswer("SOCKET=not base64!").Error!).Contains("WSAPROTOCOL_INFOW");
    }

    [Test]
    public async Task TheAppsLinesAreSdNotifyAssignments()
    {
        await Assert.That(NotifyAssignments.Parse(HandoffWire.ReadyLine).IsReady).IsTrue();
        await Assert.That(NotifyAssignments.Parse(HandoffWire.StoppingLine).IsStopping).IsTrue();
        await Assert.That(NotifyAssignments.Parse(HandoffWire.StopLine).IsReady).IsFalse();
    }
}
