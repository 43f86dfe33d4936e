using Microsoft.AspNetCore.Builder;

namespace Pmx.Hosting;

/// <summary>The one call an ASP.NET Core app makes to run under pmx in cluster mode, on Linux and on Windows.</summary>
public static class PmxHostingExtensions
{
    /// <summary>
    /// Kestrel serves on the listening socket pmx owns, and pmx hears when the app is ready and
    /// when it stops:
    /// <list type="bullet">
    /// <item>Linux: systemd socket activation (fd 3, LISTEN_PID), READY=1/STOPPING=1 over NOTIFY_SOCKET,
    /// and SIGINT stops gracefully like SIGTERM (PM2's default kill_signal is SIGINT).</item>
    /// <item>Windows, with PMX_HANDOFF_PIPE set: the socket pmx duplicated for this process, READY=1 and
    /// STOPPING=1 on that pipe, and pmx's STOP on it stops the app gracefully.</item>
    /// <item>Otherwise nothing changes: the app listens where it is configured to
    /// (see <see cref="PmxListener.IsProvided"/>).</item>
    /// </list>
    /// Call it before <c>Build()</c>; the socket is given to Kestrel after the app's own
    /// ConfigureKestrel callbacks, so endpoint defaults set there apply to it.
    /// </summary>
    public static WebApplicationBuilder UsePmx(this WebApplicationBuilder builder)
    {
        if (OperatingSystem.IsLinux()) SystemdRoute.Apply(builder);
        else if (OperatingSystem.IsWindows() && PmxListener.HandoffPipeName() is { } pipe) HandoffRoute.Apply(builder, pipe);
        return builder;
    }
}
