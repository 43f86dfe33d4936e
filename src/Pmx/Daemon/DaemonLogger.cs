using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Pmx.Daemon;

/// <summary>
/// The daemon's log: one line per event, in the format Microsoft.Extensions.Logging's simple
/// console formatter wrote with SingleLine and a millisecond timestamp
/// (`2026-12-01 10:30:04.967 info: pmx[0] idle#0 started as pid 18519: sleep 100000`), written
/// whole on the caller's thread to <paramref name="output"/> (daemon.log through DaemonLogWriter,
/// or a foreground pmx's stdout).
/// </summary>
/// <remarks>
/// Why not the console logger: it brought the logging factory, dependency injection, options and
/// configuration into the binary and a thread of its own into the daemon, for the few lines a
/// day the daemon writes; every megabyte of code the daemon touches is resident memory, and the
/// daemon's memory is compared with PM2's (bench/cli.sh). The caller's thread writing is what the
/// console logger did too once its queue was full.
/// </remarks>
internal sealed class DaemonLogger(string category, TextWriter output) : ILogger
{
    const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        if (string.IsNullOrEmpty(message) && exception is null) return;
        var line = new StringBuilder(TimestampFormat.Length + 32 + message.Length)
            .Append(DateTimeOffset.Now.ToString(TimestampFormat, CultureInfo.InvariantCulture))
            .Append(LevelWord(logLevel)).Append(": ").Append(category)
            .Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']');
        if (!string.IsNullOrEmpty(message)) line.Append(' ').Append(OneLine(message));
        if (exception is not null) line.Append(' ').Append(OneLine(exception.ToString()));
        output.Write(line.Append('\n').ToString());
    }

    static string OneLine(string text) => text.Replace(Environment.NewLine, " ", StringComparison.Ordinal);

    static string LevelWord(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
