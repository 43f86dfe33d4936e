using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Win32.SafeHandles;
using Pmx.Config;
using Pmx.Control;
using Pmx.Processes;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

/// <summary>A supervisor on a fake clock with a fake process host: exits and readiness are scripted.</summary>
internal sealed class SupervisorRig : IDisposable
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public FakeProcessHost Host { get; } = new();
    public FakePlumbing Plumbing { get; } = new();
    public SupervisorLoop Loop { get; } = new("test-supervisor");
    public AppSupervisor Supervisor { get; }
    public List<string> Progress { get; } = [];

    /// <param name="log">The supervisor's log; none by default.</param>
    public SupervisorRig(Microsoft.Extensions.Logging.ILogger? log = null) =>
        Supervisor = new AppSupervisor(Host, Plumbing, Time, log ?? NullLogger.Instance, Loop);

    public static AppSpec App(string name = "web", int instances = 1) => new()
    {
        Name = name, Script = "/bin/app", Cwd = "/", Instances = instances,
        MinUptime = TimeSpan.FromMilliseconds(500), KillTimeout = TimeSpan.FromSeconds(5), MaxRestarts = 3,
    };

    /// <summary>A cluster app on a pmx-owned socket: the kind that reloads in place.</summary>
    public static AppSpec ClusterApp(string name = "web", int instances = 1) =>
        App(name, instances) with { ExecMode = ExecMode.Cluster, Port = 8080 };

    public Task<T> Run<T>(Func<AppSupervisor, Task<T>> command) =>
        Loop.InvokeAsync(() => command(Supervisor));

    public Task<CommandOutcome> Up(params AppSpec[] apps) =>
        Run(s => s.Up(apps, new Dictionary<string, string>(), "/etc/ecosystem.toml", Record));

    /// <summary>Up with wait_ready, the first worker ready; returns its pid.</summary>
    public async Task<int> UpReady(AppSpec spec)
    {
        var up = Up(spec with { WaitReady = true });
        await Settle();
        Plumbing.SendReady(0);
        await Advance(spec.MinUptime); // a start waits out min_uptime: an earlier exit is a crash
        await up;
        return Host.Spawned[0];
    }

    void Record(string line) { lock (Progress) Progress.Add(line); }

    /// <summary>
    /// Waits until the loop has handled everything posted so far (thrice: handlers post too) and no
    /// spawn is in flight on the spawn threads (their outcomes are posted to the loop too).
    /// </summary>
    public async Task Settle()
    {
        do
        {
            for (var i = 0; i < 3; i++) await Loop.InvokeAsync(() => { });
        }
        while (await Loop.InvokeAsync(() => Task.FromResult(Supervisor.SpawnsInFlight)) > Host.HeldOnPurpose);
    }

    public async Task Advance(TimeSpan by)
    {
        await Settle();
        Time.Advance(by);
        await Settle();
    }

    public async Task Exit(int pid, ExitStatus status)
    {
        Supervisor.OnChildExited(pid, status);
        await Settle();
    }

    /// <summary>Each worker spawned (up to ten) gets <paramref name="beforeExit"/> (its spawn index), then exits; the backoff passes.</summary>
    public async Task CrashEveryLaunch(Action<int> beforeExit, ExitStatus status)
    {
        for (var launch = 0; launch < 10; launch++)
        {
            var spawned = Host.Spawned;
            if (spawned.Count <= launch) break;
            beforeExit(launch);
            await Settle();
            await Exit(spawned[launch], status);
            await Advance(RestartPolicy.CrashLoopFloor);
        }
    }

    public async Task<IReadOnlyList<ProcessInfo>> List() =>
        await Loop.InvokeAsync(() => Task.FromResult(Supervisor.List()));

    public void Dispose() => Loop.Dispose();
}

internal sealed class FakeProcessHost : IProcessHost
{
    readonly object _gate = new();
    int _nextPid = 1000;
    readonly List<int> _spawned = [];
    readonly List<(int Pid, int Signal)> _signals = [];

    public Exception? FailSpawnWith { get; set; }
    /// <summary>Spawns a test holds hung on purpose: the rig's Settle does not wait for them.</summary>
    public int HeldOnPurpose { get; set; }
    public IReadOnlyList<int> Spawned { get { lock (_gate) return _spawned.ToList(); } }
    public IReadOnlyList<(int Pid, int Signal)> Signals { get { lock (_gate) return _signals.ToList(); } }

    /// <summary>Runs inside each Spawn, on the caller's thread (a spawn thread, never the supervisor loop).</summary>
    public Action? OnSpawn { get; set; }

    /// <summary>Runs with the new pid on the spawn thread, before Spawn returns (as a reaper may see an instant exit).</summary>
    public Action<int>? BeforeSpawnReturns { get; set; }

    public SpawnedProcess Spawn(SpawnRequest request)
    {
        OnSpawn?.Invoke();
        if (FailSpawnWith is { } failure) throw failure;
        int pid;
        lock (_gate)
        {
            pid = _nextPid++;
            _spawned.Add(pid);
        }
        BeforeSpawnReturns?.Invoke(pid);
        return new SpawnedProcess(pid, new SafeFileHandle(-1, false), new SafeFileHandle(-1, false), null);
    }

    public SignalOutcome Stop(int pid, int killSignal) => Signal(pid, killSignal);

    public SignalOutcome Kill(int pid) => Signal(pid, SignalNames.SIGKILL);

    public SignalOutcome SendSignal(int pid, int signal) => Signal(pid, signal);

    /// <summary>The rig reports exits itself (the supervisor's OnChildExited).</summary>
    public IDisposable WatchExits(Action<int, ExitStatus> onExit) => new NoWatch();

    sealed class NoWatch : IDisposable { public void Dispose() { } }

    public SignalOutcome Signal(int pid, int signal)
    {
        lock (_gate) _signals.Add((pid, signal));
        return SignalOutcome.Delivered;
    }

    public IReadOnlyList<int> SignalsSentTo(int pid) => Signals.Where(s => s.Pid == pid).Select(s => s.Signal).ToList();
}

internal sealed class FakePlumbing : IWorkerPlumbing
{
    readonly List<Action<ReadinessMessage>> _notify = [];

    public IListenSocket Listen(AppSpec spec) => new FakeSocket();

    public void AttachOutput(AppSpec spec, int instance, SafeFileHandle stdout, SafeFileHandle stderr, Action<string> onAddressInUse, Pmx.Logs.StderrTail stderrTail)
    {
        AddressInUseReporters.Add(onAddressInUse);
        StderrTails.Add(stderrTail);
    }

    /// <summary>Each spawned worker's stderr tail, in spawn order: a test writes lines and closes it as the pump would.</summary>
    public List<Pmx.Logs.StderrTail> StderrTails { get; } = [];

    /// <summary>Each spawned worker's EADDRINUSE callback, in spawn order (as the pump would call it).</summary>
    public List<Action<string>> AddressInUseReporters { get; } = [];

    public NotifyChannel OpenNotifyChannel(string workerLabel, Action<ReadinessMessage> onMessage)
    {
        lock (_notify) _notify.Add(onMessage);
        return new NotifyChannel("@fake/" + workerLabel, new Nothing());
    }

    public IDisposable AttachNodeIpc(AppSpec spec, INodeChannel channel, Action<ReadinessMessage> onMessage) => new Nothing();

    public void AddNodePreload(AppSpec spec, IDictionary<string, string> environment) { }

    public void ReleaseNodeListens(string appName) { }

    /// <summary>The readiness channel of the Nth spawned worker (spawn order).</summary>
    public void SendReady(int spawnIndex)
    {
        Action<ReadinessMessage> channel;
        lock (_notify) channel = _notify[spawnIndex];
        channel(new ReadinessMessage(true, false, "serving"));
    }

    sealed class Nothing : IDisposable { public void Dispose() { } }

    sealed class FakeSocket : IListenSocket
    {
        public SafeHandle Handle { get; } = new SafeFileHandle(-1, false);
        public string Endpoint => "127.0.0.1:0";
        public int AcceptQueueLength => 0;
        public void SteerTo(IReadOnlyList<int> positions) { }
        public void StopListening() { }
        public void Dispose() { }
    }
}
