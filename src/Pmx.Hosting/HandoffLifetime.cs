using System.Runtime.Versioning;
using Microsoft.Extensions.Hosting;
using Pmx.Sockets.Handoff;

namespace Pmx.Hosting;

/// <summary>
/// Tells pmx READY=1 once the server has started and STOPPING=1 when the stop begins, and turns
/// pmx's STOP into StopApplication: the same graceful path as Ctrl+C, so the app's drain runs.
/// </summary>
[SupportedOSPlatform("windows")]
sealed class HandoffLifetime(HandoffPipe pipe, IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    readonly CancellationTokenSource _stopReading = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered now, after the app's own ApplicationStopping callbacks (a drain that blocks):
        // callbacks run last-registered first, so pmx hears STOPPING=1 before the drain starts.
        lifetime.ApplicationStarted.Register(() => pipe.Send(HandoffWire.ReadyLine));
        lifetime.ApplicationStopping.Register(() => pipe.Send(HandoffWire.StoppingLine));
        _ = ListenForStop();
        return Task.CompletedTask;
    }

    async Task ListenForStop()
    {
        while (await pipe.ReadLineAsync(_stopReading.Token).ConfigureAwait(false) is { } line)
        {
            if (line == HandoffWire.StopLine)
            {
                lifetime.StopApplication();
                return;
            }
        }
    }

    /// <summary>The pipe stays open until the process ends: pmx reads its closing as the worker going away.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _stopReading.Cancel();
        _stopReading.Dispose();
    }
}
