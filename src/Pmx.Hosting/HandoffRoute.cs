using System.Runtime.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        builder.Services.AddSingleton(pipe);
        // After the app's ConfigureKestrel callbacks, so its endpoint defaults apply to this endpoint.
        // Kestrel wraps the handle without owning it; the pipe's Socket keeps it open.
        builder.Services.PostConfigure<KestrelServerOptions>(kestrel => kestrel.ListenHandle((ulong)pipe.Listener.Handle));
        builder.Services.AddSingleton<IHostedService>(services =>
            new HandoffLifetime(pipe, services.GetRequiredService<IHostApplicationLifetime>()));
    }
}
