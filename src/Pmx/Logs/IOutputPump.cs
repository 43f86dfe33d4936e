using Microsoft.Win32.SafeHandles;

namespace Pmx.Logs;

/// <summary>Reads workers' stdout/stderr pipes into line sinks: one epoll thread on Linux, a thread per pipe on Windows.</summary>
internal interface IOutputPump : IDisposable
{
    /// <summary>
    /// Starts delivering the lines of <paramref name="readEnd"/> to <paramref name="sink"/>; the pump
    /// owns the handle and closes it at end of file. Dispose the result to detach early.
    /// </summary>
    IDisposable Attach(SafeFileHandle readEnd, ILineSink sink);

    /// <param name="whenWritten">What a read waits for before the next one (Linux): lines read are on disk before more are read, so a daemon killed between two reads loses none.</param>
    static IOutputPump ForThisPlatform(Func<Task>? whenWritten = null) =>
        OperatingSystem.IsLinux() ? new OutputPump(whenWritten)
        : OperatingSystem.IsWindows() ? new ThreadPerPipePump()
        : throw new PlatformNotSupportedException("pmx reads worker output on Linux and Windows only");
}
