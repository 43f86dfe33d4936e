using System.Threading.Channels;

namespace Pmx.Control;

/// <summary>
/// The responder of one connection: handlers enqueue events, one pump writes them to the CLI in
/// order. The queue is what lets <see cref="IControlResponder"/> promise it never waits for the CLI.
/// </summary>
internal sealed class QueuedResponder : IControlResponder
{
    // Synchronous continuations: the pump writes an event on the thread that queued it while the
    // CLI's socket has room (it never blocks: a full socket makes the write async), so an answer
    // handed over on the supervisor loop reaches the CLI without first waking a thread-pool thread.
    readonly Channel<ControlEvent> _events = Channel.CreateUnbounded<ControlEvent>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    readonly Stream _stream;
    int _hasResult;

    public QueuedResponder(Stream stream)
    {
        _stream = stream;
        // Started here, not on the pool: it runs until it waits on the empty queue, so the first
        // event already finds it waiting and is written on the thread that queues it.
        Pumped = PumpAsync();
    }

    /// <summary>True once the result is queued; nothing may follow it.</summary>
    public bool HasResult => Volatile.Read(ref _hasResult) == 1;

    /// <summary>True once a write failed: the CLI disconnected (or stopped reading and was cut off).</summary>
    public bool IsClientGone { get; private set; }

    /// <summary>Completes when the result has been written, or dropped because the CLI is gone.</summary>
    public Task Pumped { get; }

    public ValueTask Progress(string message)
    {
        if (HasResult) throw new InvalidOperationException("pmx internal error: progress sent after the result.");
        _events.Writer.TryWrite(ControlEvent.Progress(message));
        return ValueTask.CompletedTask;
    }

    public ValueTask Result(int exitCode, string? message = null, IReadOnlyList<ProcessInfo>? processes = null, AppDetails? details = null,
        IReadOnlyList<ConfigSource>? configSources = null)
    {
        if (Interlocked.Exchange(ref _hasResult, 1) == 1) throw new InvalidOperationException("pmx internal error: a second result sent.");
        _events.Writer.TryWrite(new ControlEvent
        {
            Type = ControlEventType.Result,
            Message = message,
            ExitCode = exitCode,
            Processes = processes,
            Details = details,
            ConfigSources = configSources,
            PmxVersion = BuildInfo.Version,
        });
        _events.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    async Task PumpAsync()
    {
        await foreach (var controlEvent in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            // Keep draining after the CLI left so the queue does not grow for the rest of the command.
            if (IsClientGone) continue;
            try
            {
                await JsonLines.WriteLineAsync(_stream, Encode(controlEvent), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                IsClientGone = true;
            }
        }
    }

    /// <summary>
    /// The event's line, or, when it cannot be written as JSON (a NaN cpu sample is the likely
    /// case), a failure result that says so: the CLI must still get an answer and an exit code.
    /// </summary>
    static byte[] Encode(ControlEvent controlEvent)
    {
        try
        {
            return JsonLines.Encode(controlEvent, ControlJsonContext.Default.ControlEvent);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return JsonLines.Encode(new ControlEvent
            {
                Type = ControlEventType.Result,
                ExitCode = ExitCodes.Failure,
                Message = $"pmx internal error: the daemon could not encode its answer: {e.Message}",
                PmxVersion = BuildInfo.Version,
            }, ControlJsonContext.Default.ControlEvent);
        }
    }
}
