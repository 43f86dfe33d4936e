using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Pmx.Supervisor;

namespace Pmx.Sockets.Handoff;

/// <summary>
/// One worker's hand-off pipe on Windows (HandoffWire): created before the worker, its name in
/// the worker's PMX_HANDOFF_PIPE; once the worker connects, it gets the app's listening socket
/// duplicated for its pid, and its sd_notify lines feed the supervisor's readiness path.
/// </summary>
/// <remarks>
/// The pipe admits one client of the current user only (CurrentUserPipe, FirstPipeInstance, so no
/// other process can have created the name first). The duplicate is made for the pid pmx started,
/// not for whoever connects: a stranger of the same user gets a record its own Winsock cannot open.
/// A worker that never connects (an app without Pmx.Hosting) keeps a status saying what it lacks.
/// </remarks>
[SupportedOSPlatform("windows")]
internal sealed class WorkerHandoffPipe : IHandoffChannel
{
    /// <summary>What `pmx describe` shows until the worker connects; an app that never does lacks the library.</summary>
    internal const string WaitingStatus = "waiting for the app to take its listening socket from PMX_HANDOFF_PIPE: " +
        "a .NET app calls Pmx.Hosting's builder.UsePmx(); an app that binds its own port runs with exec_mode = \"fork\"";
    internal const string ConnectedStatus = "took its listening socket from pmx (PMX_HANDOFF_PIPE)";

    const int PipeBufferSize = 4096;
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    readonly NamedPipeServerStream _pipe;
    readonly SafeHandle _listener;
    readonly CancellationTokenSource _closed = new();
    readonly TaskCompletionSource<Action<ReadinessMessage>> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SemaphoreSlim _writes = new(1, 1);
    volatile bool _hasConnected;

    WorkerHandoffPipe(string name, NamedPipeServerStream pipe, SafeHandle listener)
    {
        Name = name;
        _pipe = pipe;
        _listener = listener;
    }

    /// <summary>The bare pipe name, for the worker's PMX_HANDOFF_PIPE.</summary>
    public string Name { get; }

    public static WorkerHandoffPipe Create(SafeHandle listener)
    {
        var name = HandoffWire.PipeName(Environment.ProcessId, Guid.NewGuid());
        // Buffers sized for the protocol's lines: with none, a write waits until the worker has read it.
        var pipe = CurrentUserPipe.Create(name, 1, PipeOptions.Asynchronous | PipeOptions.FirstPipeInstance, PipeBufferSize);
        return new WorkerHandoffPipe(name, pipe, listener);
    }

    /// <summary>The worker exists now: wait for it to connect, hand it the socket, then read its lines.</summary>
    public void Begin(int workerPid) => _ = Serve(workerPid);

    public void Attach(Action<ReadinessMessage> onMessage)
    {
        if (!_hasConnected) onMessage(new ReadinessMessage(false, false, WaitingStatus));
        _attached.TrySetResult(onMessage);
    }

    /// <summary>
    /// Written off the caller's thread (the supervisor's loop): a worker that stopped reading, hung
    /// or half-dead, must cost its kill_timeout, not the loop.
    /// </summary>
    public bool SendStop()
    {
        if (!_hasConnected) return false;
        _ = WriteAsync(HandoffWire.StopLine);
        return true;
    }

    async Task Serve(int workerPid)
    {
        try
        {
            await _pipe.WaitForConnectionAsync(_closed.Token).ConfigureAwait(false);
            if (!await WriteAsync(HandOver(workerPid)).ConfigureAwait(false)) return;
            _hasConnected = true;
            var onMessage = await _attached.Task.WaitAsync(_closed.Token).ConfigureAwait(false);
            onMessage(new ReadinessMessage(false, false, ConnectedStatus));
            using var reader = new StreamReader(_pipe, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
            while (await reader.ReadLineAsync(_closed.Token).ConfigureAwait(false) is { } line)
            {
                var message = NotifyAssignments.Parse(line);
                if (message.IsReady || message.IsStopping || message.Status is not null || message.IsWatchdogPing) onMessage(message);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // pmx let the worker go, or the worker went: either way nothing is left to read.
        }
    }

    /// <summary>The SOCKET= line for <paramref name="workerPid"/>, or an ERROR= line the app reports.</summary>
    string HandOver(int workerPid)
    {
        var protocolInfo = new byte[HandoffWire.ProtocolInfoSize];
        try
        {
            if (Interop.Ws2_32.DuplicateSocket(_listener, workerPid, protocolInfo)) return HandoffWire.SocketLine(protocolInfo);
            return HandoffWire.ErrorLine($"WSADuplicateSocketW for pid {workerPid} failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        catch (ObjectDisposedException)
        {
            return HandoffWire.ErrorLine("the app's listening socket was closed (the app is stopping)");
        }
    }

    /// <summary>Asynchronous all the way: a blocking write on an overlapped pipe would hold a thread-pool thread hostage.</summary>
    async Task<bool> WriteAsync(string line)
    {
        var bytes = Utf8.GetBytes(line + "\n");
        try
        {
            await _writes.WaitAsync(_closed.Token).ConfigureAwait(false);
            try { await _pipe.WriteAsync(bytes, _closed.Token).ConfigureAwait(false); }
            finally { _writes.Release(); }
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _closed.Cancel();
        _pipe.Dispose();
    }
}
