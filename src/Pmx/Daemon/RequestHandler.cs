using Pmx.Cli;
using Pmx.Control;
using Pmx.Logs;

namespace Pmx.Daemon;

/// <summary>Turns control requests into supervisor commands, on the supervisor's loop.</summary>
internal sealed class RequestHandler(Supervisor.AppSupervisor supervisor, Supervisor.SupervisorLoop loop, PmxHome home,
    Action requestShutdown, Handover? handover = null)
{
    public async Task Handle(ControlRequest request, IControlResponder responder, CancellationToken ct)
    {
        void Progress(string line) => _ = responder.Progress(line);
        // PM2's numeric ids (`pmx restart 3`) name one process; the supervisor resolves them.
        var target = request.Target ?? "all";
        var env = request.Environment ?? new Dictionary<string, string>();
        // The caller's environment replaces an app's only on request (PM2's --update-env).
        var updateEnv = request.Args.Contains(Cli.DaemonCommands.UpdateEnvironmentFlag);
        Supervisor.CommandOutcome outcome;
        switch (request.Command)
        {
            case "list":
                // Answered on the loop: the responder writes it there (QueuedResponder), so `pmx list`
                // waits for one thread hop (to the loop), not three (and back, and to the pump).
                await loop.InvokeAsync(() => responder.Result(ExitCodes.Ok, $"daemon: pmx {BuildInfo.Version}, pid {Environment.ProcessId}",
                    processes: supervisor.List(request.Target)).AsTask());
                return;
            case "describe":
                var details = await loop.InvokeAsync(() => Task.FromResult(supervisor.Describe(target,
                    (spec, i) => { var p = LogPaths.For(spec, i, home); return (p.Out, p.Err); })));
                if (details is null) await responder.Result(ExitCodes.Failure, $"no app named '{target}'");
                else await responder.Result(ExitCodes.Ok, details: details);
                return;
            case "up":
                outcome = await loop.InvokeAsync(() => supervisor.Up(request.Apps ?? [], env, request.ConfigPath, Progress, request.EnvName, updateEnv, request.IsPartOfConfig));
                break;
            case "start":
                outcome = request.Apps is [var spec]
                    ? await loop.InvokeAsync(() => supervisor.Start(spec, env, Progress))
                    : await loop.InvokeAsync(() => supervisor.StartKnown(target, Progress));
                break;
            case "stop": outcome = await loop.InvokeAsync(() => supervisor.Stop(target, Progress)); break;
            case "restart": outcome = await loop.InvokeAsync(() => supervisor.Restart(target, Progress, updateEnv ? env : null)); break;
            case "config-sources":
                var sources = await loop.InvokeAsync(() => Task.FromResult(supervisor.ConfigSources(target)));
                await responder.Result(ExitCodes.Ok, configSources: sources.Select(s => new ConfigSource(s.ConfigPath, s.EnvName)).ToList());
                return;
            case "reload":
                // The CLI re-read the apps' ecosystem files (ReloadCommand): the daemon never evaluates
                // a JS config itself, since that would run node outside pmx's spawn path and reaper.
                var fresh = new Dictionary<string, Config.AppSpec>(StringComparer.Ordinal);
                foreach (var app in request.Apps ?? []) fresh[app.Name] = app;
                outcome = await loop.InvokeAsync(() => supervisor.Reload(target, Progress, fresh, updateEnv ? env : null));
                break;
            case "delete": outcome = await loop.InvokeAsync(() => supervisor.Delete(target, Progress)); break;
            case "scale":
                outcome = await loop.InvokeAsync(() => supervisor.Scale(supervisor.ResolveTarget(target), request.Args.FirstOrDefault() ?? "", Progress));
                break;
            case "signal":
                outcome = await loop.InvokeAsync(() => Task.FromResult(supervisor.Signal(request.Args.FirstOrDefault() ?? "", target)));
                break;
            case "down":
                outcome = request.ConfigPath is { } file
                    ? await loop.InvokeAsync(() => supervisor.StopEverything(Progress, app => app.ConfigPath == file))
                    : await loop.InvokeAsync(() => supervisor.StopEverything(Progress));
                await responder.Result(outcome.ExitCode, outcome.Message);
                if (request.ConfigPath is null) await ShutdownAfterAnswer(responder);
                return;
            case "save":
                var saved = await loop.InvokeAsync(() => Task.FromResult(supervisor.Apps.ToList()));
                if (saved.Count == 0 && !request.Args.Contains("--force"))
                {
                    await responder.Result(ExitCodes.Failure, $"nothing is running; saving would empty {home.DumpPath}. Use 'pmx save --force' to do that on purpose");
                    return;
                }
                var dump = await loop.InvokeAsync(() => Task.FromResult(DumpFile.Render(saved, DateTimeOffset.Now)));
                DumpFile.WriteAtomically(home.DumpPath, dump);
                var empty = saved.Where(a => a.Slots.Count == 0).Select(a => a.Name).ToList();
                await responder.Result(ExitCodes.Ok, $"saved {English.Count(saved.Count - empty.Count, "app")} ({English.Count(saved.Sum(a => a.Slots.Count), "instance")}) to {home.DumpPath}"
                    + (empty.Count == 0 ? "" : $"; left out {string.Join(", ", empty)} (scaled to 0)"));
                return;
            case "update" when handover != null && request.Args is [var binary, var protocol]:
                outcome = await loop.InvokeAsync(() => Task.FromResult(handover.Prepare(supervisor, binary, protocol)));
                await responder.Result(outcome.ExitCode, outcome.Message);
                if (outcome.ExitCode == 0)
                {
                    if (responder is QueuedResponder pumped)
                        await pumped.Pumped.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
                    handover.Commit(binary);
                }
                return;
            case "kill":
                await loop.InvokeAsync(supervisor.KillEverything);
                await responder.Result(ExitCodes.Ok, "daemon killed");
                await ShutdownAfterAnswer(responder);
                return;
            default:
                await responder.Result(ExitCodes.Usage, $"the daemon does not know the command '{request.Command}'");
                return;
        }
        await responder.Result(outcome.ExitCode, outcome.Message);
    }

    /// <summary>The CLI must read the answer before the daemon (and its socket) goes away.</summary>
    async Task ShutdownAfterAnswer(IControlResponder responder)
    {
        if (responder is QueuedResponder queued)
            await queued.Pumped.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        requestShutdown();
    }
}
