using System.Collections.Concurrent;
using Pmx.Sockets;
using Pmx.Supervisor;
using Pmx.Tests.Processes;

namespace Pmx.Tests.Sockets;

public class NotifySocketTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task ADatagramWithSeveralAssignmentsIsReadWhole()
    {
        var message = NotifySocket.Parse("READY=1\nSTATUS=serving 4 tenants\nMAINPID=42");
        await Assert.That(message.IsReady).IsTrue();
        await Assert.That(message.Status).IsEqualTo("serving 4 tenants");
        await Assert.That(message.IsStopping).IsFalse();
    }

    [Test]
    public async Task StoppingAndWatchdogPingsAreUnderstood()
    {
        var message = NotifySocket.Parse("STOPPING=1\nWATCHDOG=1");
        await Assert.That(message.IsStopping).IsTrue();
        await Assert.That(message.IsWatchdogPing).IsTrue();
        await Assert.That(message.IsReady).IsFalse();
    }

    [Test]
    public async Task ReadyWithAnotherValueIsNotReady()
    {
        await Assert.That(NotifySocket.Parse("READY=0").IsReady).IsFalse();
    }

    [Test]
    public async Task StatusWithEscapeSequencesAndControlCharactersIsKeptEscaped()
    {
        var message = NotifySocket.Parse("STATUS=\u001b[2J\u001b]0;owned\u0007ok\u009b\u202eevil\rx");

        await Assert.That(message.Status).IsEqualTo("\\e[2J\\e]0;owned\\x07ok\\u009b\\u202eevil\\rx");
    }

    [Test]
    public async Task AnOverlongStatusIsCut()
    {
        var message = NotifySocket.Parse("STATUS=" + new string('a', 100_000));

        await Assert.That(message.Status).IsEqualTo(new string('a', StatusText.MaxLength) + "…");
    }

    [Test, Timeout(30_000)]
    public async Task TheSocketIsAShortFileInTheGivenFolderWhateverTheWorkerLabel(CancellationToken ct)
    {
        using var folder = new TempFolder();
        var received = new TaskCompletionSource<ReadinessMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var label = new string('w', 100) + "#0";
        using var socket = NotifySocket.Open(folder.Path, label, m => received.TrySetResult(m));

        SystemdNotifier.Notify("READY=1\nSTATUS=up", socket.Path);
        var message = await received.Task.WaitAsync(Deadline, ct);

        await Assert.That(Path.GetDirectoryName(socket.Path)).IsEqualTo(folder.Path);
        await Assert.That(socket.Path).DoesNotContain("www");
        await Assert.That(message).IsEqualTo(new ReadinessMessage(true, false, "up"));
    }

    [Test, Timeout(30_000)]
    public async Task AFolderPathTooLongForSunPathFallsBackToTheAbstractNamespace(CancellationToken ct)
    {
        using var folder = new TempFolder();
        var deep = Path.Combine(folder.Path, new string('d', 120));
        var received = new TaskCompletionSource<ReadinessMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var socket = NotifySocket.Open(deep, "web#0", m => received.TrySetResult(m));

        SystemdNotifier.Notify("READY=1", socket.Path);

        await Assert.That(socket.Path).StartsWith("@pmx-");
        await Assert.That((await received.Task.WaitAsync(Deadline, ct)).IsReady).IsTrue();
    }

    [Test, Timeout(30_000)]
    public async Task ADatagramFromAnotherUserNeitherMakesReadyNorSetsTheStatusEvenOnAnAbstractSocket(CancellationToken ct)
    {
        if (!OtherUserSender.IsRoot) Skip.Test("needs root to send as another user");
        var messages = new ConcurrentQueue<ReadinessMessage>();
        var warnings = new ConcurrentQueue<string>();
        // The abstract namespace has no permissions: anyone can send, so only the credentials decide.
        using var socket = NotifySocket.Open(null, "web#0", messages.Enqueue, warnings.Enqueue);

        await Assert.That(await OtherUserSender.SendAsync(socket.Path, "READY=1\nSTATUS=\u001b[31mpwned", ct)).IsEqualTo(0);
        await Assert.That(await OtherUserSender.SendAsync(socket.Path, "READY=1", ct)).IsEqualTo(0);
        // Datagrams are read in order: once ours arrives, the two before it have been judged.
        SystemdNotifier.Notify("STATUS=marker", socket.Path);
        await Poll.Until(() => messages.Any(m => m.Status == "marker"), Deadline, "our own datagram", ct);

        await Assert.That(messages.Any(m => m.IsReady)).IsFalse();
        await Assert.That(messages.Any(m => m.Status?.Contains("pwned") == true)).IsFalse();
        await Assert.That(socket.RejectedCount).IsEqualTo(2);
        await Assert.That(warnings.Count).IsEqualTo(1);
        await Assert.That(warnings.Single()).Contains($"uid {OtherUserSender.Uid}");
    }

    [Test, Timeout(30_000)]
    public async Task AnotherUserCannotReachTheSocketFileAtAll(CancellationToken ct)
    {
        if (!OtherUserSender.IsRoot) Skip.Test("needs root to send as another user");
        using var folder = new TempFolder();
        var notifyFolder = Path.Combine(folder.Path, "notify");
        NotifySocket.PrepareDirectory(notifyFolder);
        using var socket = NotifySocket.Open(notifyFolder, "web#0", _ => { });

        await Assert.That(await OtherUserSender.SendAsync(socket.Path, "READY=1", ct)).IsEqualTo(3);
        await Assert.That(File.GetUnixFileMode(notifyFolder)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Test, Timeout(60_000)]
    public async Task AFloodIsCoalescedIntoFewDeliveriesAndTheLastStatusWins(CancellationToken ct)
    {
        using var folder = new TempFolder();
        var deliveries = 0;
        string? lastStatus = null;
        using var socket = NotifySocket.Open(folder.Path, "web#0", m =>
        {
            Interlocked.Increment(ref deliveries);
            Volatile.Write(ref lastStatus, m.Status);
        });
        const int Sent = 5_000;

        using (var sender = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified))
        {
            sender.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(socket.Path));
            // Blocking sends: when the kernel's queue is full the sender waits, nothing piles up in pmx.
            for (var i = 1; i <= Sent; i++) sender.Send(System.Text.Encoding.UTF8.GetBytes($"WATCHDOG=1\nSTATUS=n {i}"));
        }
        await Poll.Until(() => Volatile.Read(ref lastStatus) == $"n {Sent}", Deadline, "the last status to arrive", ct);

        await Assert.That(Volatile.Read(ref deliveries)).IsLessThan(Sent / 10);
    }

    [Test, Timeout(30_000)]
    public async Task AKeptSocketSurvivesTheNextDaemonsCleanUpAndItsAdopterReadsWhatWasQueuedMeanwhile(CancellationToken ct)
    {
        using var folder = new TempFolder();
        var stale = Path.Combine(folder.Path, "stale");
        using (var gone = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified))
            gone.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(stale));
        // What a keeper holds while no daemon runs: the bound socket, SO_PASSCRED on, nobody reading.
        var keptPath = Path.Combine(folder.Path, "kept");
        var kept = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        kept.SetRawSocketOption(1, 16, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_PASSCRED
        kept.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(keptPath));

        NotifySocket.PrepareDirectory(folder.Path);
        await Assert.That(File.Exists(stale)).IsFalse();
        await Assert.That(File.Exists(keptPath)).IsTrue();

        SystemdNotifier.Notify("READY=1\nSTATUS=sent while no daemon ran", keptPath);
        var received = new TaskCompletionSource<ReadinessMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var descriptor = new Microsoft.Win32.SafeHandles.SafeFileHandle(kept.SafeHandle.DangerousGetHandle(), ownsHandle: true);
        kept.SafeHandle.SetHandleAsInvalid();
        using var adopted = NotifySocket.Adopt(descriptor, keptPath, "web#0", m => received.TrySetResult(m));

        await Assert.That(await received.Task.WaitAsync(Deadline, ct)).IsEqualTo(new ReadinessMessage(true, false, "sent while no daemon ran"));
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("pmx-notify-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
