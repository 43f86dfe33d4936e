using Microsoft.Extensions.Logging;
using Pmx.Config;

namespace Pmx.Supervisor;

// `pmx up` reconciles like `docker compose up`: new apps start, apps removed from the same file
// stop, changed apps are replaced gracefully, unchanged running apps keep their pids.
internal sealed partial class Supervisor
{
    public async Task<CommandOutcome> Up(IReadOnlyList<AppSpec> specs, IReadOnlyDictionary<string, string> environment,
        string? configPath, Action<string> progress, string? envName = null)
    {
        var work = new List<Task<CommandOutcome>>();
        foreach (var spec in specs)
        {
            if (!_apps.TryGetValue(spec.Name, out var app))
            {
                app = Register(spec, environment, configPath);
                app.EnvName = envName;
                progress($"{spec.Name}: starting {Plural(spec.Instances, "instance")}");
                work.Add(app.Operations.Enqueue(() => StartApp(app, progress)));
                continue;
            }
            var existing = app;
            existing.ConfigPath = configPath ?? existing.ConfigPath;
            existing.EnvName = envName;
            work.Add(existing.Operations.Enqueue(() => Reconcile(existing, spec, environment, progress)));
        }
        if (configPath != null)
        {
            var wanted = specs.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _apps.Values.Where(a => a.ConfigPath == configPath && !wanted.Contains(a.Name)).ToList())
            {
                progress($"{gone.Name}: no longer in {Path.GetFileName(configPath)}; stopping it");
                work.Add(Delete(gone.Name, progress));
            }
        }
        var outcomes = await Task.WhenAll(work);
        var failed = outcomes.Where(o => o.ExitCode != 0).Select(o => o.Message).ToList();
        return failed.Count == 0 ? CommandOutcome.Ok() : CommandOutcome.Failed(string.Join("\n", failed));
    }

    /// <summary>`pmx start`: a new app, or an app pmx knows by name started again.</summary>
    public Task<CommandOutcome> Start(AppSpec spec, IReadOnlyDictionary<string, string> environment, Action<string> progress)
    {
        if (_apps.TryGetValue(spec.Name, out var known))
            return known.Operations.Enqueue(() => StartApp(known, progress));
        var app = Register(spec, environment, configPath: null);
        return app.Operations.Enqueue(() => StartApp(app, progress));
    }

    /// <summary>Starts an app pmx already knows (by name) after a stop.</summary>
    public Task<CommandOutcome> StartKnown(string name, Action<string> progress) =>
        ForEachApp(name, app => app.Operations.Enqueue(() => StartApp(app, progress)));

    AppRuntime Register(AppSpec spec, IReadOnlyDictionary<string, string> environment, string? configPath)
    {
        var app = new AppRuntime(spec, environment) { ConfigPath = configPath };
        for (var i = 0; i < spec.Instances; i++) app.Slots.Add(new Slot(i));
        _apps[spec.Name] = app;
        ArmTriggers(app);
        return app;
    }

    async Task<CommandOutcome> Reconcile(AppRuntime app, AppSpec spec, IReadOnlyDictionary<string, string> environment,
        Action<string> progress)
    {
        var envChanged = !SameEnvironment(app.BaseEnvironment, environment);
        if (AppSpecs.AreEquivalent(app.Spec, spec) && !envChanged)
        {
            if (app.Slots.All(s => s.Phase == SlotPhase.Running))
            {
                progress($"{app.Name}: unchanged ({Plural(app.Slots.Count, "instance")})");
                return CommandOutcome.Ok();
            }
            progress($"{app.Name}: unchanged; starting its stopped instances");
            return await StartApp(app, progress);
        }
        if (AppSpecs.AreEquivalent(app.Spec, spec with { Instances = app.Spec.Instances }) && !envChanged)
        {
            progress($"{app.Name}: instances {app.Spec.Instances} → {spec.Instances}");
            return await ScaleTo(app, spec.Instances, progress);
        }
        var socketChanged = app.Spec.Port != spec.Port || app.Spec.Host != spec.Host
            || app.Spec.ReusePort != spec.ReusePort || app.Spec.ExecMode != spec.ExecMode;
        var graceful = spec.ExecMode == ExecMode.Cluster && !socketChanged;
        app.BaseEnvironment = environment;
        if (graceful)
        {
            progress($"{app.Name}: config changed; reloading");
            app.Spec = spec;
            ArmTriggers(app);
            var reloaded = await ReloadApp(app, progress);
            if (reloaded.ExitCode != 0) return reloaded;
            return await ScaleTo(app, spec.Instances, progress);
        }
        progress($"{app.Name}: config changed; restarting");
        await Task.WhenAll(app.Slots.Select(slot => StopSlot(app, slot, progress)));
        CloseSockets(app);
        app.Spec = spec;
        ArmTriggers(app);
        app.Slots.Clear();
        for (var i = 0; i < spec.Instances; i++) app.Slots.Add(new Slot(i));
        return await StartApp(app, progress);
    }

    static bool SameEnvironment(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
