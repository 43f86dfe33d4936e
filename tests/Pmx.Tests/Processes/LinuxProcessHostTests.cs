using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Pmx.Processes;

namespace Pmx.Tests.Processes;

// [NotInParallel] without a key: these tests reap with waitpid(-1), see ChildProcesses.
[NotInParallel]
public class LinuxProcessHostTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test, Timeout(30_000)]
    public async Task WorkerOutputArrivesOnTheStdoutPipeAndItsExitCodeComesFromTheReaper(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var worker = children.Spawn("/bin/sh", "-c", "echo hi; echo oops >&2; exit 3");

        var stdout = await ChildProcesses.ReadToEndAsync(worker.StdoutRead, ct);
        var stderr = await ChildProcesses.ReadToEndAsync(worker.StderrRead, ct);
        var exit = await children.ExitOf(worker.Pid, ct);

        await Assert.That(stdout).IsEqualTo("hi\n");
        await Assert.That(stderr).IsEqualTo("oops\n");
        await Assert.That(exit).IsEqualTo(ExitStatus.Exited(3));
    }

    [Test, Timeout(30_000)]
    public async Task ExecutedProgramStartsWithNoBlockedAndNoIgnoredSignals(CancellationToken ct)
    {
        // The test host itself ignores SIGPIPE (the .NET runtime does), and so does the AOT shim:
        // cat reads its own status, so these are the exec'd program's dispositions.
        await using var children = new ChildProcesses();
        var worker = children.Spawn("cat", "/proc/self/status");

        var status = await ChildProcesses.ReadToEndAsync(worker.StdoutRead, ct);
        await children.ExitOf(worker.Pid, ct);

        await Assert.That(status).Contains("SigBlk:\t0000000000000000\n");
        await Assert.That(status).Contains("SigIgn:\t0000000000000000\n");
    }

    [Test, Timeout(30_000)]
    public async Task ListenSocketArrivesAtFd3WithListenPidEqualToTheWorkersOwnPid(CancellationToken ct)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var socketInode = new FileInfo($"/proc/self/fd/{listener.SafeHandle.DangerousGetHandle()}").LinkTarget;

        await using var children = new ChildProcesses();
        var worker = children.Spawn(ChildProcesses.Request("/bin/sh", "-c",
            "echo $LISTEN_PID $$ $LISTEN_FDS $LISTEN_FDNAMES $SYSTEMD_EXEC_PID; readlink /proc/$$/fd/3; ls /proc/$$/fd") with
        {
            ListenSockets = [listener.SafeHandle],
            ListenFdNames = ["web"],
        });

        var lines = (await ChildProcesses.ReadToEndAsync(worker.StdoutRead, ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await children.ExitOf(worker.Pid, ct);

        var pid = worker.Pid.ToString(CultureInfo.InvariantCulture);
        await Assert.That(lines[0]).IsEqualTo($"{pid} {pid} 1 web {pid}");
        await Assert.That(lines[1]).IsEqualTo(socketInode);
        // Nothing but stdio and the socket below 10 (dash keeps a private fd at 10).
        var lowFds = lines.Skip(2).Select(int.Parse).Where(fd => fd < 10).Order().ToArray();
        await Assert.That(lowFds).IsEquivalentTo(new[] { 0, 1, 2, 3 });
        // The daemon's copy stays open and listening.
        await Assert.That(listener.IsBound).IsTrue();
    }

    [Test, Timeout(30_000)]
    public async Task NodeChildCanWriteToTheChannelFdAndTheDaemonReadsIt(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var worker = children.Spawn(ChildProcesses.Request("/bin/sh", "-c",
            "echo $NODE_CHANNEL_FD $NODE_CHANNEL_SERIALIZATION_MODE; printf '\"ready\"\\n' >&3") with
        {
            NodeIpcChannel = true,
        });

        var received = new StringBuilder();
        var buffer = new byte[256];
        while (!received.ToString().Contains('\n'))
        {
            int n = await worker.NodeIpc!.ReadAsync(buffer, ct);
            if (n == 0) break;
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        var stdout = await ChildProcesses.ReadToEndAsync(worker.StdoutRead, ct);
        await children.ExitOf(worker.Pid, ct);

        await Assert.That(stdout).IsEqualTo("3 json\n");
        await Assert.That(received.ToString()).IsEqualTo("\"ready\"\n");
    }

    [Test, Timeout(30_000)]
    public async Task WorkerLeadsItsOwnGroupAndSignalGroupKillsItsGrandchildrenToo(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var worker = children.Spawn("/bin/sh", "-c", "sleep 100 & echo $!; wait");
        using var reader = new StreamReader(new FileStream(worker.StdoutRead, FileAccess.Read, 1));
        var grandchild = int.Parse((await Task.Run(reader.ReadLine, ct).WaitAsync(ct))!, CultureInfo.InvariantCulture);

        await Assert.That(ProcFs.ProcessGroup(worker.Pid)).IsEqualTo(worker.Pid);
        await Assert.That(ProcFs.ProcessGroup(grandchild)).IsEqualTo(worker.Pid);

        await Assert.That(children.Host.SignalGroup(worker.Pid, SignalNames.SIGKILL)).IsEqualTo(SignalOutcome.Delivered);

        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.KilledBy(SignalNames.SIGKILL));
        await Poll.Until(() => ProcFs.IsDead(grandchild), Deadline, $"grandchild {grandchild} to die", ct);
    }

    [Test, Timeout(30_000)]
    public async Task ADescriptorPmxHoldsWithoutCloseOnExecNeverReachesAWorker(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        using var file = File.OpenHandle(Path.GetTempFileName(), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.DeleteOnClose);
        // F_DUPFD never sets FD_CLOEXEC: this stands for a descriptor the daemon inherited from its parent.
        var stray = Pmx.Interop.Interop.fcntl((int)file.DangerousGetHandle(), Pmx.Interop.Interop.F_DUPFD, 200);
        using var strayHandle = new Microsoft.Win32.SafeHandles.SafeFileHandle(stray, ownsHandle: true);
        var worker = children.Spawn("/bin/sh", "-c", $"if [ -e /proc/self/fd/{stray} ]; then echo leaked; else echo closed; fi");

        await Assert.That(await ChildProcesses.ReadToEndAsync(worker.StdoutRead, ct)).IsEqualTo("closed\n");
        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(0));
    }

    [Test, Timeout(30_000)]
    public async Task SignallingAReapedProcessIsNoSuchProcessNotAnError(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var worker = children.Spawn("true");
        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(0));

        await Assert.That(children.Host.Signal(worker.Pid, SignalNames.SIGTERM)).IsEqualTo(SignalOutcome.NoSuchProcess);
        await Assert.That(children.Host.SignalGroup(worker.Pid, SignalNames.SIGTERM)).IsEqualTo(SignalOutcome.NoSuchProcess);
    }

    [Test, Timeout(30_000)]
    public async Task WorkerThatMustDieWithPmxStartsNormally(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var worker = children.Spawn(ChildProcesses.Request("/bin/sh", "-c", "echo alive") with { KillWhenParentDies = true });

        await Assert.That(await ChildProcesses.ReadToEndAsync(worker.StdoutRead, ct)).IsEqualTo("alive\n");
        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(0));
    }

    [Test, Timeout(30_000)]
    [Arguments("/nonexistent/app", 127, "no such file or directory (ENOENT)")]
    [Arguments("/etc/passwd", 126, "permission denied (EACCES)")]
    public async Task ShimExitsLikeAShellWhenTheProgramCannotRun(string program, int exitCode, string reason, CancellationToken ct)
    {
        // The host checks the program before spawning, so run the shim as the worker's program to
        // reach its own failure path (the program vanished between the check and the exec).
        await using var children = new ChildProcesses();
        var worker = children.Spawn(ChildProcesses.ShimPath, "__exec", "--", program);

        var stderr = await ChildProcesses.ReadToEndAsync(worker.StderrRead, ct);
        await Assert.That(await children.ExitOf(worker.Pid, ct)).IsEqualTo(ExitStatus.Exited(exitCode));
        await Assert.That(stderr).IsEqualTo($"pmx: cannot run '{program}': {reason}\n");
    }

    [Test, Timeout(30_000)]
    public async Task LiveWorkerHasResidentMemoryAndAStartTime(CancellationToken ct)
    {
        await using var children = new ChildProcesses();
        var worker = children.Spawn("sleep", "100");

        // Until the shim has exec'd, the pid shows the shim's (larger) memory.
        await Poll.Until(() => ProcFs.Command(worker.Pid) == "sleep", Deadline, "the shim to exec sleep", ct);
        await Assert.That(ProcessStats.TryRead(worker.Pid, out var sample)).IsTrue();

        await Assert.That(sample.RssBytes).IsGreaterThan(0);
        await Assert.That(sample.StartTimeTicks).IsGreaterThan(0);
        await Assert.That(sample.ProcessGroupId).IsEqualTo(worker.Pid);
        await Assert.That(ProcessStats.ProcessGroupRssBytes(worker.Pid)).IsGreaterThanOrEqualTo(sample.RssBytes);
        await Assert.That(ProcessStats.TryRead(int.MaxValue, out _)).IsFalse();
    }
}
