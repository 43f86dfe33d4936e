using Pmx.Supervisor;

namespace Pmx.Sockets;

/// <summary>
/// sd_notify's message text (sd_notify(3)): what a worker says about itself, whichever way it
/// arrives (a Linux notify datagram, a line on a Windows hand-off pipe).
/// </summary>
internal static class NotifyAssignments
{
    /// <summary>Newline-separated KEY=VALUE assignments; unknown keys are ignored; STATUS comes out printable.</summary>
    public static ReadinessMessage Parse(string text)
    {
        bool ready = false, stopping = false, watchdog = false;
        string? status = null;
        foreach (var line in text.Split('\n'))
        {
            if (line == "READY=1") ready = true;
            else if (line == "STOPPING=1") stopping = true;
            else if (line == "WATCHDOG=1") watchdog = true;
            else if (line.StartsWith("STATUS=", StringComparison.Ordinal)) status = StatusText.Sanitize(line["STATUS=".Length..]);
        }
        return new(ready, stopping, status, watchdog);
    }
}
