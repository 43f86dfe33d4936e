using Pmx.Config;

namespace Pmx.Daemon;

/// <summary>
/// What `pmx save` records of one app: its spec, how many instances run now (after any `scale`),
/// and the environment of the CLI that started it.
/// </summary>
internal sealed record DumpedApp(AppSpec Spec, int Instances, IReadOnlyDictionary<string, string> BaseEnvironment);
