using Pmx.Config;

namespace Pmx.Logs;

/// <summary>
/// The supervisor's entry point to logging: gives each worker a pair of sinks to attach to its
/// stdout and stderr pipes, and owns the log writer thread.
/// In foreground mode (<paramref name="foreground"/> given) every line also goes to that stream as
/// `name#instance | line`; the files are still written, so `pmx logs` works from `docker exec`.
/// </summary>
internal sealed class LogRouter(PmxHome home, Stream? foreground = null, TimeProvider? time = null, long maxPendingBytes = LogWriter.DefaultMaxPendingBytes) : IDisposable
{
    readonly LogWriter _writer = new(maxPendingBytes);
    readonly StreamTarget? _console = foreground is null ? null : new StreamTarget(foreground);

    /// <summary>Sinks for one worker; each closes its file when the pump reports the pipe closed.</summary>
    public (ILineSink Out, ILineSink Err) CreateSinks(AppSpec app, int instance)
    {
        var paths = LogPaths.For(app, instance, home);
        var format = new LogLineFormat(app.Time ? app.LogDateFormat : null, time, stamped: app.Time);
        return (Sink(paths.Out), Sink(paths.Err));

        ILineSink Sink(string path)
        {
            var file = _writer.AcquireFile(path, app.LogMaxSizeBytes, app.LogRetain, format);
            ILineSink sink = new FileLineSink(_writer, file, format);
            return _console is null ? sink : new TeeSink(sink, new ForegroundSink(_writer, _console, app.Name, instance));
        }
    }

    /// <summary>Completes once every line handed to a sink so far is on disk (or on the console).</summary>
    public Task WhenWritten() => _writer.WhenWritten();

    /// <summary>Writes every queued line and closes the files. Dispose the pump first so it delivers the last lines.</summary>
    public void Dispose() => _writer.Dispose();
}
