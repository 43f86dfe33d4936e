using Pmx.Config;

namespace Pmx.Supervisor;

// `pmx up` reconciles like `docker compose up`: new apps start, apps removed from the same file
// stop, changed apps are replaced gracefully, unchanged running apps keep their pids. "Changed"
// means what the config decides (its keys, env tables, args): the environment an app runs with is
// recorded when it starts, and the shell a later `up` runs in is no reason to restart it.
internal sealed partial class AppSupervisor
{
    public async Task<CommandOutcome> Up(IReadOnlyList<AppSpec> specs, IReadOnlyDictionary<string, string> environment,
        string? configPath, Action<string> progress, string? envName = null, bool updateEnvironment = false, bool isPartOfConfig = false)
    {
        var work = new List<Task<CommandOutcome>>();
        foreach (var spec in specs)
        {
            if (!_apps.TryGetValue(spec.Name, out var app))
            {
                app = Register(spec, environment, configPath);
                app.EnvName = envName;
                progress($"{spec.Name}: starting {Plural(spec.Instances, "instance")}");
                var added = app;
                work.Add(Enqueue(added, () => StartApp(added, progress)));
                continue;
            }
            var existing = app;
            existing.ConfigPath = configPath ?? existing.ConfigPath;
            existing.EnvName = envName;
            work.Add(Enqueue(existing, () => Reconcile(existing, spec, updateEnvironment ? environment : null, progress)));
        }
        if (configPath != null && !isPartOfConfig)
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

    /// <param name="newEnvironment">The caller's environment when it asked for it (--update-env), else null.</param>
    async Task<CommandOutcome> Reconcile(AppRuntime app, AppSpec spec, IReadOnlyDictionary<string, string>? newEnvironment,
        Action<string> progress)
    {
        var envChanged = newEnvironment != null && !SameEnvironment(app.BaseEnvironment, newEnvironment);
        if (AppSpecs.AreEquivalent(app.Spec, spec) && !envChanged)
        {
            if (app.Slots.All(s => s.State is SlotState.Online or SlotState.Starting or SlotState.Replacing or SlotState.Backoff))
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
        if (newEnvironment != null) app.BaseEnvironment = newEnvironment;
        if (!socketChanged && ReloadStrategy.ReloadsInPlace(spec))
        {
            progress($"{app.Name}: config changed; reloading");
            app.Spec = spec with { Instances = app.Spec.Instances };
            ArmTriggers(app);
            var reloaded = await ReloadApp(app, progress);
            if (reloaded.ExitCode != 0) return reloaded;
            return await ScaleTo(app, spec.Instances, progress);
        }
        progress($"{app.Name}: config changed; restarting");
        foreach (var message in await StopSlots(app, app.Slots)) progress(message);
        CloseSockets(app);
        app.Spec = spec;
        ArmTriggers(app);
        app.Slots.Clear();
        for (var i = 0; i < spec.Instances; i++) app.Slots.Add(NewSlot(i));
        return await StartApp(app, progress);
    }

    static bool SameEnvironment(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
