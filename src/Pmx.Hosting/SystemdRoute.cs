using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Pmx.Hosting;

/// <summary>Linux: pmx speaks systemd's protocols, so the app uses .NET's own systemd support.</summary>
[SupportedOSPlatform("linux")]
static class SystemdRoute
{
    public static void Apply(WebApplicationBuilder builder)
    {
        // With NOTIFY_SOCKET set, Hosting.Systemd 11 swaps in SystemdLifetime: READY=1 after the
        // server has started, STOPPING=1 when the stop begins. Without it, a no-op.
        builder.Host.UseSystemd();
        // Listens on fds 3.. when LISTEN_PID is our own pid; otherwise adds nothing. A PostConfigure,
        // so it runs after the app's ConfigureKestrel and picks up its endpoint defaults.
        builder.Services.PostConfigure<KestrelServerOptions>(kestrel => kestrel.UseSystemd());
        if (Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 })
            builder.Services.AddSingleton<IHostedService>(services => new SigintStopsGracefully(services.GetRequiredService<IHostApplicationLifetime>()));
    }

    /// <summary>
    /// SystemdLifetime stops the host on SIGTERM only; PM2's default kill_signal is SIGINT, so SIGINT
    /// gets the same graceful path instead of the runtime's default (exit at once).
    /// </summary>
    sealed class SigintStopsGracefully(IHostApplicationLifetime lifetime) : IHostedService, IDisposable
    {
        PosixSignalRegistration? _registration;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                lifetime.StopApplication();
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => _registration?.Dispose();
    }
}
