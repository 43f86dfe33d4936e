// A plain ASP.NET Core app that runs under pmx in cluster mode with one pmx call, UsePmx():
// Kestrel serves on the listening socket pmx shares between the instances (Linux: fd 3 by socket
// activation; Windows: a duplicate handed over PMX_HANDOFF_PIPE), READY=1 reaches pmx once Kestrel
// listens, and a stop (SIGTERM, SIGINT, or pmx's STOP on Windows) runs the graceful drain of DESIGN §10.
// Without pmx (`dotnet run`) it listens on 127.0.0.1:$PORT, or 127.0.0.1:5000.
using System.Net;
using Microsoft.AspNetCore.Connections;
using DotnetWeb;
using Pmx.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.UsePmx();

// Kestrel's stop waits for in-flight requests at most this long. pmx's kill_timeout is the real
// bound (SIGKILL after it), so this only has to be longer than any request we want to finish.
// One log line per request would flood pmx's log files under load; lifetime and errors stay.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));

var drain = new GracefulDrain();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Before any Listen: endpoint defaults apply to the endpoints created after them.
    // (UsePmx adds pmx's socket after this callback, so the defaults apply to it too.)
    kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Use(GracefulDrain.DeferCloseRequests));
    if (!PmxListener.IsProvided)
    {
        var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), out var p) ? p : 5000;
        kestrel.Listen(IPAddress.Loopback, port);
    }
});

var app = builder.Build();
drain.Attach(app.Lifetime, app.Logger);

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
