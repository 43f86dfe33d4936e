using System.Text.Json;
using System.Text.Json.Serialization;
using Pmx.Config;
using Pmx.Control;

namespace Pmx.Daemon;

/// <summary>
/// What a daemon knows that the kernel does not: every app's spec and environment, its slots and
/// the worker serving each, restart counts. Written on every change (DaemonStateFile), read by the
/// next daemon to adopt the workers of one that died (AppSupervisor.Adopt).
/// </summary>
/// <param name="NodeListens">The sockets bound for Node workers' listen() that a keeper holds (absent in older state files).</param>
internal sealed record DaemonState(string PmxVersion, IReadOnlyList<AppState> Apps, IReadOnlyList<Sockets.Node.NodeListenRecord>? NodeListens = null);

internal sealed record AppState(AppSpec Spec, IReadOnlyDictionary<string, string> BaseEnvironment, string? ConfigPath,
    string? EnvName, IReadOnlyList<SlotRecord> Slots);

/// <summary>
/// One instance slot; <paramref name="Worker"/> is its current worker, if any (online, or starting
/// when its OnlineAt is null). <paramref name="IsStopped"/>: stopped or errored on purpose (or
/// being stopped), so a new daemon must not start it again; <paramref name="IsErrored"/>: errored,
/// with <paramref name="LastExit"/> saying why, as `pmx list` and `pmx describe` showed it.
/// </summary>
internal sealed record SlotRecord(int Index, int Id, int Restarts, WorkerRecord? Worker, bool IsStopped = false, bool IsErrored = false,
    string? LastExit = null);

/// <summary>A worker, identified across pid reuse by its pid and its start time in clock ticks after boot (/proc/&lt;pid&gt;/stat field 22).</summary>
/// <param name="NotifyPath">The worker's NOTIFY_SOCKET, whose socket a keeper holds under <paramref name="NotifyKey"/>.</param>
internal sealed record WorkerRecord(int Pid, long StartTimeTicks, DateTimeOffset StartedAt, DateTimeOffset? OnlineAt, string? NodeChannelKey = null,
    string? NotifyKey = null, string? NotifyPath = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(SnakeCaseEnumConverter<ExecMode>), typeof(SnakeCaseEnumConverter<ReusePortMode>)])]
[JsonSerializable(typeof(DaemonState))]
internal sealed partial class DaemonStateJsonContext : JsonSerializerContext;

/// <summary>PMX_HOME/state.json: replaced atomically (temp file + rename), so a reader never sees half of it.</summary>
internal static class DaemonStateFile
{
    public static string PathIn(PmxHome home) => System.IO.Path.Combine(home.Root, "state.json");

    public static void Write(string path, DaemonState state)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(state, DaemonStateJsonContext.Default.DaemonState));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The state a previous daemon left, or null when there is none (or it cannot be read: the reason goes to <paramref name="warn"/>).</summary>
    public static DaemonState? Read(string path, Action<string> warn)
    {
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(path), DaemonStateJsonContext.Default.DaemonState); }
        catch (FileNotFoundException) { return null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            warn($"cannot read the previous daemon's state {path} ({e.Message}); its workers, if any, cannot be adopted");
            return null;
        }
    }

    public static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}
