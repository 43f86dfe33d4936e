namespace Pmx.Supervisor;

// PM2's `restart/reload --update-env` (DESIGN §11): an app's environment is the one recorded at its
// start; only this (or a change of the config's own env tables) replaces it.
internal sealed partial class Supervisor
{
    /// <summary>The next workers of <paramref name="target"/> (a name or "all") start with <paramref name="environment"/>.</summary>
    public void ReplaceBaseEnvironment(string target, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var app in _apps.Values.Where(a => target == "all" || a.Name == target))
            app.BaseEnvironment = environment;
    }
}
