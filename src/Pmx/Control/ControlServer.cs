namespace Pmx.Control;

/// <summary>
/// The daemon's end of the control socket (DESIGN §7): accepts CLI connections on a Unix stream
/// socket (a named pipe on Windows, through <see cref="IControlListener"/>) and serves each one concurrently, so `pmx list` never waits behind a reload.
/// </summary>
/// <remarks>
/// Overview: <see cref="Start"/> binds synchronously (so "cannot listen" is the caller's error)
/// and leaves an accept loop running; every connection is served on its own task by
/// <see cref="ControlConnection"/>. The handler's token is cancelled by <see cref="StopAsync"/>,
/// never by the CLI going away: commands outlive the terminal that asked for them.
/// </remarks>
internal sealed class ControlServer : IAsyncDisposable
{
    readonly IControlListener _listener;
    readonly Func<ControlRequest, IControlResponder, CancellationToken, Task> _handler;
    readonly ControlServerOptions _options;
    readonly CancellationTokenSource _stopping = new();
    readonly Task _acceptLoop;
    int _stopped;

    ControlServer(string socketPath, IControlListener listener, Func<ControlRequest, IControlResponder, CancellationToken, Task> handler, ControlServerOptions options)
    {
        SocketPath = socketPath;
        _listener = listener;
        _handler = handler;
        _options = options;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    /// <summary>
    /// Listens on <paramref name="socketPath"/> (mode 0600; on Windows the named pipe derived from
    /// it, see <see cref="ControlPipe"/>) and serves requests with <paramref name="handler"/>.
    /// </summary>
    /// <exception cref="IOException">The path is taken (call <see cref="TryCleanStaleSocketAsync"/> first) or cannot be bound.</exception>
    public static ControlServer Start(string socketPath, Func<ControlRequest, IControlResponder, CancellationToken, Task> handler, ControlServerOptions? options = null)
    {
        IControlListener listener = OperatingSystem.IsWindows()
            ? PipeControlListener.Listen(socketPath)
            : UnixControlListener.Listen(socketPath);
        return new ControlServer(socketPath, listener, handler, options ?? new ControlServerOptions());
    }

    /// <summary>
    /// Makes the socket path free for a new daemon: removes the file when nobody listens on it
    /// (a daemon that died without cleaning up), keeps it when a daemon answers.
    /// </summary>
    /// <remarks>Two daemons starting at once can both see a stale file; the daemon's flock on PMX_HOME/daemon.lock (DaemonLock), taken before this check, keeps them apart.</remarks>
    public static async Task<StaleSocketCheck> TryCleanStaleSocketAsync(string socketPath, CancellationToken ct)
    {
        if (!File.Exists(socketPath)) return StaleSocketCheck.Absent;
        switch (await ControlSocket.ProbeAsync(socketPath, ct).ConfigureAwait(false))
        {
            case ControlSocket.Probe.Listening:
                return StaleSocketCheck.DaemonRunning;
            case ControlSocket.Probe.Absent:
                return StaleSocketCheck.Absent;
            default:
                File.Delete(socketPath);
                return StaleSocketCheck.RemovedStale;
        }
    }

    /// <summary>
    /// Stops accepting and deletes the socket file. Connections already being served finish on
    /// their own (a handler may be the one calling this, e.g. for `pmx kill`); their token is cancelled.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try { File.Delete(SocketPath); }
        catch (IOException e) { _options.Log?.Invoke($"control: could not delete {SocketPath}: {e.Message}"); }
        await _acceptLoop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Stream connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (_stopping.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or IOException)
            {
                return;
            }
            catch (IOException e)
            {
                // EMFILE and friends: keep serving once descriptors free up, without spinning on the error.
                _options.Log?.Invoke($"control: accept failed: {e.Message}; retrying");
                try { await Task.Delay(TimeSpan.FromMilliseconds(100), _stopping.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                continue;
            }

            var served = new ControlConnection(connection, _handler, _options, _stopping.Token);
            _ = Task.Run(async () =>
            {
                // ServeAsync answers every failure it expects; this only keeps a surprise out of the
                // unobserved-exception path and in the daemon log.
                try { await served.ServeAsync().ConfigureAwait(false); }
                catch (Exception e) { _options.Log?.Invoke($"control: connection ended with an error: {e}"); }
            });
        }
    }
}
