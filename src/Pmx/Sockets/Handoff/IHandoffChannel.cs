using Pmx.Supervisor;

namespace Pmx.Sockets.Handoff;

/// <summary>
/// The daemon's end of a worker's hand-off pipe (Windows, HandoffWire): the worker takes its
/// listening socket there and says READY=1/STATUS=/STOPPING=1 back, the same messages the Linux
/// notify socket carries.
/// </summary>
internal interface IHandoffChannel : IDisposable
{
    /// <summary>Starts delivering the worker's messages to <paramref name="onMessage"/> (on any thread).</summary>
    void Attach(Action<ReadinessMessage> onMessage);

    /// <summary>Asks the worker to stop gracefully (STOP); false when it never connected or is gone.</summary>
    bool SendStop();
}
