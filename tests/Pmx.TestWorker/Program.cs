// Fixture worker for pmx's end-to-end tests; behaviour is chosen by flags (see Flags.cs or --help).
// main reads as the whole program: parse, catch signals, report, serve, say ready, wait, stop.
using Pmx.TestWorker;

var flags = Flags.Parse(args, out var error);
if (flags is null)
{
    Console.Error.WriteLine($"testworker: {error}");
    Console.Error.Write(Flags.Usage());
    return 2;
}
if (flags.IsHelp)
{
    Console.Out.Write(Flags.Usage());
    return 0;
}

var output = new Output();
if (OperatingSystem.IsWindows() && !Interop.AcceptCtrlC()) output.Note("cannot re-enable Ctrl+C (SetConsoleCtrlHandler); pmx's graceful stop will not reach us");
// Handlers go in before the start line: a test may signal the moment it reads that line.
using var signals = new StopSignals(output, flags.IgnoredSignals);
output.Line("started");
InheritedFds.MarkCloseOnExec(output.Pid);

if (flags.WriteFile is string path) StartupReports.WriteStartedLine(path, output.Pid);
if (flags.IsReportSignals) StartupReports.ReportSignals();
StartupReports.PrintEnv(flags.PrintEnv);
if (flags.DescribePipe is string pipeName)
{
    if (OperatingSystem.IsWindows()) PipeDescription.Print(pipeName, output);
    else output.Note("--describe-pipe is for Windows pipes only; ignored");
}
if (flags.SquatPipe is string squatName)
{
    if (OperatingSystem.IsWindows()) PipeSquatter.Start(squatName, output);
    else output.Note("--squat-pipe is for Windows pipes only; ignored");
}
if (flags.Lines > 0) StartupReports.Flood(Console.OpenStandardOutput(), flags.Lines, flags.LineSize);
if (flags.StderrLines > 0) StartupReports.Flood(Console.OpenStandardError(), flags.StderrLines, flags.LineSize);

if (flags is { ExitCode: int immediateCode, ExitAfter: null })
{
    output.Line($"exiting with code {immediateCode}");
    return immediateCode;
}

var readiness = new Readiness(output);
HttpServer? server = null;
if (flags.IsHttp)
{
    server = HttpServer.Listen(flags, output, out var listenError);
    if (server is null)
    {
        Console.Error.WriteLine($"testworker: {listenError}");
        return 2;
    }
    server.Start();
}
if (flags.Status is string status) readiness.Notify($"STATUS={status}");
_ = readiness.SayReadyAsync(flags);
if (flags.GrowMemoryMegabytesPerSecond is double rate) _ = MemoryGrowth.RunAsync(rate, output);
if (flags.SpawnOrphan is TimeSpan orphanLifetime) Orphan.Spawn(orphanLifetime, output);

var deadline = flags.ExitAfter is TimeSpan exitAfter ? Task.Delay(exitAfter) : Task.Delay(Timeout.Infinite);
var stopped = StopAsync();
if (await Task.WhenAny(stopped, deadline) == stopped) return await stopped;
var code = flags.ExitCode ?? 0;
output.Line($"exiting with code {code}");
return code;

// The stop sequence once SIGINT or SIGTERM arrives: say so to pmx, drain, linger, exit 0.
async Task<int> StopAsync()
{
    await signals.Stopped;
    if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))) readiness.Notify("STOPPING=1");
    if (server is not null) await server.DrainAsync(flags.Drain);
    if (flags.StopDelay > TimeSpan.Zero)
    {
        output.Line($"stop delay {flags.StopDelay.TotalMilliseconds}ms");
        await Task.Delay(flags.StopDelay);
    }
    output.Line("exiting with code 0");
    return 0;
}
