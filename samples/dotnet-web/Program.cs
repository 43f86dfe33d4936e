// A plain ASP.NET Core app that runs under pmx in cluster mode with no pmx-specific code:
// systemd socket activation (the shared listening socket arrives as fd 3), sd_notify readiness
// (READY=1 once Kestrel listens), and the graceful drain of DESIGN §10 on SIGTERM or SIGINT.
// Without pmx (`dotnet run`) it listens on 127.0.0.1:$PORT, or 127.0.0.1:5000.
using System.Net;
using Microsoft.AspNetCore.Connections;
using System.Runtime.InteropServices;
using DotnetWeb;

var builder = WebApplication.CreateBuilder(args);

// With NOTIFY_SOCKET set, Hosting.Systemd 11 swaps in SystemdLifetime: READY=1 after the server
// has started, STOPPING=1 when the stop begins. Without it, this is a no-op.
builder.Host.UseSystemd();

// Kestrel's stop waits for in-flight requests at most this long. pmx's kill_timeout is the real
// bound (SIGKILL after it), so this only has to be longer than any request we want to finish.
// One log line per request would flood pmx's log files under load; lifetime and errors stay.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

var drain = new GracefulDrain();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Before any Listen: endpoint defaults apply to the endpoints created after them.
    kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(GracefulDrain.DeferCloseRequests));
    // Listens on fds 3.. when LISTEN_PID is our own pid (sd_listen_fds(3)); otherwise adds nothing.
    kestrel.UseSystemd();
    if (!GracefulDrain.IsSocketActivated())
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 5000;
        kestrel.Listen(IPAddress.Loopback, port);
    }
});

var app = builder.Build();
drain.Attach(app.Lifetime, app.Logger);

// SystemdLifetime stops the host on SIGTERM only; PM2's default kill_signal is SIGINT, so give
// SIGINT the same graceful path instead of the runtime's default (exit at once).
using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    app.Lifetime.StopApplication();
});

app.Use(drain.Middleware);

// Results.Text sets Content-Length (a returned string would go out chunked): simple load
// generators and keep-alive probes can read it without a chunked decoder.
var instance = Environment.GetEnvironmentVariable("PMX_INSTANCE") ?? "-";
app.MapGet("/", () => Results.Text($"hello from dotnet-web pid={Environment.ProcessId} instance={instance}"));
app.MapGet("/slow", async (int? ms, CancellationToken aborted) =>
{
    var delay = Math.Clamp(ms ?? 1000, 0, 60_000);
    await Task.Delay(delay, aborted);
    return Results.Text($"slow {delay}ms from dotnet-web pid={Environment.ProcessId} instance={instance}");
});
app.MapGet("/health", () => Results.Text("ok"));

app.Run();
