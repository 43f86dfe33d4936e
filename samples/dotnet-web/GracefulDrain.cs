using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace DotnetWeb;

/// <summary>
/// Overview: the app's side of a graceful stop (pmx DESIGN §10). Kestrel's own stop closes idle
/// keep-alive connections at once, so a client that reuses one at that moment gets a reset.
/// Instead, once the stop begins:
/// (1) every response carries `Connection: close`, so keep-alive clients finish their current
///     request and reconnect, landing on another worker that shares the listening socket;
/// (2) for DRAIN_MS (default 1500, keep it below pmx's kill_timeout) the worker keeps serving;
/// (3) then the host stops Kestrel: it stops accepting (the shared socket stays open for the other
///     workers: we only close our copy of the fd), and waits for in-flight requests.
/// (4) one race remains: Kestrel's stop closes at once every connection that has not delivered a
///     request yet, including one it accepted a moment before it stopped accepting, whose client
///     is about to send. So the HTTP layer learns of that close request SilentGrace later.
/// The ordering rests on the host calling ApplicationStopping's callbacks synchronously inside
/// StopApplication, which the host's own StopAsync calls (and waits for) before it stops any
/// hosted service, Kestrel included.
/// </summary>
sealed class GracefulDrain
{
    static readonly TimeSpan SilentGrace = TimeSpan.FromSeconds(1);

    readonly TimeSpan _window = TimeSpan.FromMilliseconds(
        int.TryParse(Environment.GetEnvironmentVariable("DRAIN_MS"), out var ms) && ms >= 0 ? ms : 1500);
    ILogger? _logger;
    volatile bool _isDraining;

    /// <summary>Called once the app is built (the connection middleware is installed earlier).</summary>
    public void Attach(IHostApplicationLifetime lifetime, ILogger logger)
    {
        _logger = logger;
        lifetime.ApplicationStopping.Register(Drain);
    }

    public bool IsDraining => _isDraining;

    void Drain()
    {
        _isDraining = true;
        _logger?.LogInformation("stopping: answering with Connection: close for {DrainMs} ms, then Kestrel stops", _window.TotalMilliseconds);
        // Blocking is the point: Kestrel's stop must not begin before the window has passed.
        Thread.Sleep(_window);
        _logger?.LogInformation("drain window over: Kestrel stops accepting and finishes in-flight requests");
    }

    /// <summary>
    /// Decided when the response starts, not when the request arrives, so a slow request that
    /// began before the stop still tells its client to close.
    /// </summary>
    public Task Middleware(HttpContext context, RequestDelegate next)
    {
        context.Response.OnStarting(() =>
        {
            if (_isDraining) context.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        });
        return next(context);
    }

    /// <summary>
    /// Kestrel connection middleware, step (4): HTTP sees Kestrel's close request SilentGrace late.
    /// A connection whose request arrives meanwhile is answered (with Connection: close, since we
    /// are draining) and then ends; an idle or silent one is closed when the grace is over.
    /// </summary>
    public static async Task DeferCloseRequests(ConnectionContext connection, Func<Task> next)
    {
        var kestrel = connection.Features.Get<IConnectionLifetimeNotificationFeature>();
        if (kestrel is null) { await next(); return; }
        using var deferred = new CancellationTokenSource();
        using var forward = kestrel.ConnectionClosedRequested.Register(() => deferred.CancelAfter(SilentGrace));
        connection.Features.Set<IConnectionLifetimeNotificationFeature>(new DeferredCloseRequest(kestrel, deferred.Token));
        await next();
    }

    sealed class DeferredCloseRequest(IConnectionLifetimeNotificationFeature kestrel, CancellationToken closeRequested)
        : IConnectionLifetimeNotificationFeature
    {
        public CancellationToken ConnectionClosedRequested { get; set; } = closeRequested;
        public void RequestClose() => kestrel.RequestClose();
    }
}
