using Microsoft.Extensions.Logging;

namespace Pmx.Tests.Supervisor;

/// <summary>Keeps every formatted line the supervisor logs, for tests about what the daemon log says.</summary>
internal sealed class RecordingLogger : ILogger
{
    readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add(formatter(state, exception));
    }
}
