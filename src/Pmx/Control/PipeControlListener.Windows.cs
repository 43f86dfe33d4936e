using System.IO.Pipes;
using System.Runtime.Versioning;

namespace Pmx.Control;

/// <summary>
/// The daemon's end of the control pipe (<see cref="ControlPipe"/>). A pipe instance serves one
/// client, so one instance always waits for the next connection while others are being served.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed class PipeControlListener : IControlListener
{
    readonly string _socketPath;
    NamedPipeServerStream _waiting;

    PipeControlListener(string socketPath, NamedPipeServerStream waiting)
    {
        _socketPath = socketPath;
        _waiting = waiting;
    }

    /// <exception cref="IOException">Another process (a daemon, or another user) already has this PMX_HOME's pipe.</exception>
    public static PipeControlListener Listen(string socketPath)
    {
        try
        {
            return new PipeControlListener(socketPath, ControlPipe.NewInstance(socketPath, first: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"pmx: cannot create the control pipe {ControlPipe.Name(socketPath)} for PMX_HOME={Path.GetDirectoryName(socketPath)}: {e.Message} " +
                                  "Another daemon may be running for this PMX_HOME ('pmx kill' stops it).", e);
        }
    }

    public async ValueTask<Stream> AcceptAsync(CancellationToken ct)
    {
        while (true)
        {
            var candidate = _waiting;
            try
            {
                await candidate.WaitForConnectionAsync(ct).ConfigureAwait(false);
            }
            catch (IOException) when (!ct.IsCancellationRequested)
            {
                // A client that connected and hung up before the wait completed (a probe): the
                // instance is spent (ERROR_NO_DATA). Not an error: replace it and wait again.
                _waiting = ControlPipe.NewInstance(_socketPath, first: false);
                candidate.Dispose();
                continue;
            }
            // The next instance exists before this one is handed out: the name never disappears,
            // so nobody else can create it in between.
            _waiting = ControlPipe.NewInstance(_socketPath, first: false);
            return candidate;
        }
    }

    public void Dispose() => _waiting.Dispose();
}
