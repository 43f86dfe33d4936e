using System.Collections.Concurrent;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Pmx.Processes;

namespace Pmx.Tests.Processes;

/// <summary>
/// Test fixture: the real host (spawning through the published artifacts/pmx shim), one reaper that
/// turns every exit into an awaitable result, and a teardown that SIGKILLs every process group it
/// started and waits for the leaders to be reaped, even when the test failed.
/// </summary>
/// <remarks>
/// The reaper calls waitpid(-1): it reaps every child of the test process, including children of
/// tests that run at the same time. So each test that uses this fixture is [NotInParallel] (with no
/// key: it runs alone), creates its own fixture and reaps all its children before it ends. Then no
/// reaper is alive while other tests run, and no other test's child can be stolen.
/// </remarks>
internal sealed class ChildProcesses : IAsyncDisposable
{
    static readonly TimeSpan TeardownDeadline = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<int, TaskCompletionSource<ExitStatus>> _exits = new();
    readonly List<SpawnedProcess> _spawned = [];
    readonly List<int> _launched = [];

    public ChildProcesses()
    {
        Host = new LinuxProcessHost(ShimPath);
        Reaper = new ChildReaper((pid, status) => ExitSlot(pid).TrySetResult(status));
    }

    public LinuxProcessHost Host { get; }
    public ChildReaper Reaper { get; }

    public static string ShimPath { get; } = FindShim();

    public static SpawnRequest Request(params string[] argv) => new()
    {
        Argv = argv,
        WorkingDirectory = "/",
        Environment = CurrentEnvironment(),
    };

    public static Dictionary<string, string> CurrentEnvironment()
    {
        var env = new Dictionary<string, string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env[(string)e.Key] = (string?)e.Value ?? "";
        return env;
    }

    public SpawnedProcess Spawn(SpawnRequest request)
    {
        var spawned = Host.Spawn(request);
        _spawned.Add(spawned);
        return spawned;
    }

    public SpawnedProcess Spawn(params string[] argv) => Spawn(Request(argv));

    /// <summary>Registers a pid started outside the host (DetachedLauncher) for teardown.</summary>
    public void Track(int pid) => _launched.Add(pid);

    public Task<ExitStatus> ExitOf(int pid, CancellationToken cancellationToken) =>
        ExitSlot(pid).Task.WaitAsync(cancellationToken);

    TaskCompletionSource<ExitStatus> ExitSlot(int pid) =>
        _exits.GetOrAdd(pid, _ => new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Everything the pipe delivers until every writer has closed it.</summary>
    public static Task<string> ReadToEndAsync(SafeFileHandle pipe, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var stream = new FileStream(pipe, FileAccess.Read, 4096);
            return new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        }, cancellationToken).WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TeardownDeadline);
        foreach (var p in _spawned) Host.SignalGroup(p.Pid, SignalNames.SIGKILL);
        // A launched process is not a worker: the host would kill(2) its pid even after the reap,
        // when the number may already belong to someone else. So only the ones not yet reaped.
        foreach (var pid in _launched.Where(pid => !ExitSlot(pid).Task.IsCompleted)) Host.Signal(pid, SignalNames.SIGKILL);
        try
        {
            foreach (var pid in _spawned.Select(p => p.Pid).Concat(_launched))
                await ExitOf(pid, deadline.Token);
        }
        finally
        {
            Reaper.Dispose();
            foreach (var p in _spawned) p.Dispose();
        }
    }

    static string FindShim()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "global.json"))) continue;
            var shim = Path.Combine(dir.FullName, "artifacts", "pmx");
            if (!File.Exists(shim))
                throw new InvalidOperationException($"process tests need the published binary '{shim}' (it is the exec shim): run ./build.sh first");
            return shim;
        }
        throw new InvalidOperationException("cannot find the repository root (no global.json above " + AppContext.BaseDirectory + ")");
    }
}
