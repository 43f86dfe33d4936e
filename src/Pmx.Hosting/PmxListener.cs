using System.Globalization;
using Pmx.Sockets.Handoff;

namespace Pmx.Hosting;

/// <summary>Whether pmx gives this process its listening socket, read from the environment pmx sets.</summary>
public static class PmxListener
{
    /// <summary>
    /// True when <see cref="PmxHostingExtensions.UsePmx"/> gives Kestrel pmx's socket: the app must not
    /// listen on its own port then (pmx owns it). False outside pmx, or in fork mode.
    /// </summary>
    public static bool IsProvided =>
        OperatingSystem.IsLinux() ? IsSocketActivated()
        : OperatingSystem.IsWindows() && HandoffPipeName() is not null;

    /// <summary>sd_listen_fds(3): the fds are ours only when LISTEN_PID names this process.</summary>
    static bool IsSocketActivated() =>
        Environment.GetEnvironmentVariable("LISTEN_PID") == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    internal static string? HandoffPipeName() =>
        Environment.GetEnvironmentVariable(HandoffWire.PipeVariable) is { Length: > 0 } name ? name : null;
}
