using Pmx.Config;

namespace Pmx.Supervisor;

/// <summary>Structural comparison of specs: records compare lists and maps by reference, not content.</summary>
internal static class AppSpecs
{
    public static bool AreEquivalent(AppSpec a, AppSpec b) =>
        WithoutCollections(a) == WithoutCollections(b)
        && a.Args.SequenceEqual(b.Args)
        && a.InterpreterArgs.SequenceEqual(b.InterpreterArgs)
        && a.Watch.SequenceEqual(b.Watch)
        && a.IgnoreWatch.SequenceEqual(b.IgnoreWatch)
        && a.Env.Count == b.Env.Count && a.Env.All(kv => b.Env.TryGetValue(kv.Key, out var v) && v == kv.Value);

    static AppSpec WithoutCollections(AppSpec s) =>
        s with { Args = [], InterpreterArgs = [], Watch = [], IgnoreWatch = [], Env = Empty };

    static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
