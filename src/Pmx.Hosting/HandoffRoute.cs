using System.Runtime.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pmx.Hosting;

/// <summary>
/// Windows: no fd 3 and no sd_notify, so pmx hands the socket over a named pipe (HandoffWire) and
/// the same pipe carries readiness and the stop request.
/// </summary>
[SupportedOSPlatform("windows")]
static class HandoffRoute
{
    static readonly TimeSpan ConnectWait = TimeSpan.FromSeconds(10);

    public static void Apply(WebApplicationBuilder builder, string pipeName)
    {
        // Connected now, not at start: a pipe that cannot be opened should fail the app's start
        // with the reason, before anything listens.
        var pipe = HandoffPipe.Connect(pipeName, ConnectWait);
        // After the app's ConfigureKestrel callbacks, so its endpoint defaults apply to this endpoint.
        builder.Services.PostConfigure<KestrelServerOptions>(kestrel => kestrel.ListenHandle((ulong)pipe.Listener.Handle));
        // Registered after Kestrel's socket transport, so Kestrel asks it first (it tries the last
        // registered first); it takes only that handle's endpoint (see PolledAcceptListener for why).
        builder.Services.AddSingleton<IConnectionListenerFactory>(services =>
            new HandoffListenerFactory(pipe, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton<IHostedService>(services =>
            new HandoffLifetime(pipe, services.GetRequiredService<IHostApplicationLifetime>()));
    }
}
