using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Pmx.Sockets;
using Pmx.Sockets.Handoff;

namespace Pmx.Hosting;

/// <summary>
/// The app's end of its hand-off pipe: the listening socket pmx duplicated for this process, then
/// lines both ways (HandoffWire). Writes may come from any thread.
/// </summary>
[SupportedOSPlatform("windows")]
sealed class HandoffPipe : IDisposable
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    readonly NamedPipeClientStream _pipe;
    readonly StreamReader _reader;
    readonly Lock _writes = new();

    HandoffPipe(NamedPipeClientStream pipe, StreamReader reader, Socket listener)
    {
        _pipe = pipe;
        _reader = reader;
        Listener = listener;
    }

    /// <summary>This process's own copy of the app's listening socket (pmx keeps its own).</summary>
    public Socket Listener { get; }

    /// <exception cref="InvalidOperationException">The pipe cannot be opened, or pmx sent no socket; the message says why.</exception>
    public static HandoffPipe Connect(string name, TimeSpan wait)
    {
        var pipe = new NamedPipeClientStream(".", name, PipeDirection.InOut, PipeOptions.Asynchronous);
        try
        {
            pipe.Connect(wait);
            // The pipe must belong to our own user, so no one else can pose as pmx.
            CurrentUserPipe.VerifyOwner(pipe);
            var reader = new StreamReader(pipe, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
            var answer = HandoffWire.ParseAnswer(reader.ReadLine());
            if (answer.ProtocolInfo is null) throw new InvalidOperationException($"pmx did not hand over the listening socket: {answer.Error}");
            // Listening: the duplicate is a listening socket already; without it .NET would refuse Accept.
            var listener = new Socket(new SocketInformation { ProtocolInformation = answer.ProtocolInfo, Options = SocketInformationOptions.Listening });
            return new HandoffPipe(pipe, reader, listener);
        }
        catch (Exception e) when (e is IOException or TimeoutException or UnauthorizedAccessException or SocketException)
        {
            pipe.Dispose();
            throw new InvalidOperationException($"cannot take the listening socket from pmx ({HandoffWire.PipeVariable}={name}): {e.Message}", e);
        }
        catch
        {
            pipe.Dispose();
            throw;
        }
    }

    /// <summary>Sends one line; false when pmx is gone (the app keeps serving: readiness is pmx's business).</summary>
    public bool Send(string line)
    {
        try
        {
            lock (_writes)
            {
                _pipe.Write(Utf8.GetBytes(line + "\n"));
                _pipe.Flush();
            }
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The next line from pmx; null once the pipe is closed.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancel)
    {
        try
        {
            return await _reader.ReadLineAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _pipe.Dispose();
        Listener.Dispose();
    }
}
