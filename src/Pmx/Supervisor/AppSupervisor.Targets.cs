namespace Pmx.Supervisor;

/// <summary>
/// What one target of a command names: a whole app, or one of its instances (PM2's numeric id,
/// or `name#instance`). The slots are read when the command's turn comes, so a whole-app
/// selection sees a scale that ran before it.
/// </summary>
internal readonly record struct Selection(AppRuntime App, Slot? Only)
{
    public bool IsWholeApp => Only is null;

    /// <summary>The slots to act on now: one instance only while it is still part of the app.</summary>
    public IReadOnlyList<Slot> Slots => Only is null ? App.Slots.ToList() : App.Slots.Contains(Only) ? [Only] : [];

    /// <summary>`web` for the app, `web#1` for one instance.</summary>
    public string Label => Only is null ? App.Name : $"{App.Name}#{Only.Index}";
}

// Targets as PM2 users type them: `all`, an app name, the numeric id `pmx list` shows (one
// process, as `pm2 restart 3`), `name#instance`, or several of those joined by commas. An app
// actually named "3" wins over id 3.
internal sealed partial class AppSupervisor
{
    /// <summary>The selections <paramref name="target"/> names, or why it names nothing.</summary>
    internal (IReadOnlyList<Selection> Selections, CommandOutcome? Unknown) Select(string target)
    {
        var selections = new List<Selection>();
        foreach (var part in target.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "all") selections.AddRange(_apps.Values.Select(a => new Selection(a, null)));
            else if (_apps.TryGetValue(part, out var app)) selections.Add(new Selection(app, null));
            else if (SlotById(part) is { } byId) selections.Add(byId);
            else if (SlotByInstance(part) is { } byInstance) selections.Add(byInstance);
            else return ([], UnknownApp(part));
        }
        return (selections.Distinct().ToList(), null);
    }

    Selection? SlotById(string text)
    {
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, null, out var id)) return null;
        foreach (var app in _apps.Values)
            if (app.Slots.FirstOrDefault(s => s.Id == id) is { } slot) return new Selection(app, slot);
        return null;
    }

    Selection? SlotByInstance(string text)
    {
        var (name, instance) = SplitTarget(text);
        if (instance is null || !_apps.TryGetValue(name, out var app)) return null;
        return app.Slots.FirstOrDefault(s => s.Index == instance) is { } slot ? new Selection(app, slot) : null;
    }

    /// <summary>Runs <paramref name="action"/> for every selection, in parallel, and sums up the outcomes.</summary>
    async Task<CommandOutcome> ForEachTarget(string target, Func<Selection, Task<CommandOutcome>> action)
    {
        var (selections, unknown) = Select(target);
        if (unknown is { } failed) return failed;
        if (selections.Count == 0) return CommandOutcome.Ok("no apps");
        var outcomes = await Task.WhenAll(selections.Select(action));
        var failures = outcomes.Where(o => o.ExitCode != 0).ToList();
        if (failures.Count > 0) return new CommandOutcome(failures.Max(o => o.ExitCode), string.Join("\n", failures.Select(o => o.Message)));
        return CommandOutcome.Ok(string.Join("\n", outcomes.Select(o => o.Message).Where(m => m != null)));
    }

    /// <summary>
    /// PM2's numeric targets for verbs that act on a whole app (scale, the config a reload
    /// re-reads): "3" names the app whose instance has id 3. Anything else is returned as it is.
    /// </summary>
    public string ResolveTarget(string target)
    {
        if (_apps.ContainsKey(target) || !int.TryParse(target, System.Globalization.NumberStyles.None, null, out _)) return target;
        return SlotById(target)?.App.Name ?? target;
    }

    CommandOutcome UnknownApp(string name)
    {
        var known = _apps.Count == 0 ? "no apps are running" : "apps: " + string.Join(", ", _apps.Keys.Order(StringComparer.Ordinal));
        var id = int.TryParse(name, System.Globalization.NumberStyles.None, null, out _) ? " and no process with that id" : "";
        return CommandOutcome.Failed($"no app named '{name}'{id} ({known})");
    }
}
