using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

public class WorkerTransitionsTests
{
    [Test]
    [Arguments("Launching", "BecameReady", "Online")]
    [Arguments("Launching", "StopRequested", "Stopping")]
    [Arguments("Online", "StopRequested", "Stopping")]
    [Arguments("Stopping", "BecameReady", "Stopping")]
    [Arguments("Launching", "Reaped", "Exited")]
    [Arguments("Online", "Reaped", "Exited")]
    [Arguments("Stopping", "Reaped", "Exited")]
    public async Task EveryListedTransitionLeadsWhereTheTableSays(string from, string on, string to)
    {
        var next = WorkerTransitions.Next(Enum.Parse<WorkerState>(from), Enum.Parse<WorkerEvent>(on));
        await Assert.That(next).IsEqualTo(Enum.Parse<WorkerState>(to));
    }
}
