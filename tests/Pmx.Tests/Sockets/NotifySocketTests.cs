using Pmx.Sockets;

namespace Pmx.Tests.Sockets;

public class NotifySocketTests
{
    [Test]
    public async Task ADatagramWithSeveralAssignmentsIsReadWhole()
    {
        var message = NotifySocket.Parse("READY=1\nSTATUS=serving 4 tenants\nMAINPID=42");
        await Assert.That(message.IsReady).IsTrue();
        await Assert.That(message.Status).IsEqualTo("serving 4 tenants");
        await Assert.That(message.IsStopping).IsFalse();
    }

    [Test]
    public async Task StoppingAndWatchdogPingsAreUnderstood()
    {
        var message = NotifySocket.Parse("STOPPING=1\nWATCHDOG=1");
        await Assert.That(message.IsStopping).IsTrue();
        await Assert.That(message.IsWatchdogPing).IsTrue();
        await Assert.That(message.IsReady).IsFalse();
    }

    [Test]
    public async Task ReadyWithAnotherValueIsNotReady()
    {
        await Assert.That(NotifySocket.Parse("READY=0").IsReady).IsFalse();
    }
}
