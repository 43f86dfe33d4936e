using System.IO.Pipes;
using System.Runtime.Versioning;
using Pmx.Sockets;

namespace Pmx.Control;

/// <summary>
/// The control channel on Windows (DESIGN §9): a named pipe per PMX_HOME, since Windows (and Wine
/// 8, which has no AF_UNIX) gives pmx no Unix socket. The pipe's ACL admits only the current user.
/// </summary>
/// <remarks>
/// Overview: callers keep speaking of the socket path (PMX_HOME/pmx.sock); the pipe's name is
/// derived from its folder, so one PMX_HOME always means one pipe. <see cref="CurrentUserPipe"/>
/// does both halves of "current user only": the server creates each instance with a DACL that
/// grants the current user alone, and the client refuses a pipe whose owner is someone else (a
/// squatter who created the name first). A pipe that does not exist and one whose instances are
/// all busy look the same to <see cref="NamedPipeClientStream.Connect(int)"/> (a timeout), so the
/// daemon's lock file tells "no daemon" apart quickly instead of waiting out the deadline.
/// </remarks>
[SupportedOSPlatform("windows")]
internal static class ControlPipe
{
    /// <summary>How long a probe (is a daemon listening?) waits for a busy pipe.</summary>
    static readonly TimeSpan ProbeWait = TimeSpan.FromMilliseconds(200);

    /// <summary>The pipe of the PMX_HOME that holds <paramref name="socketPath"/> (ControlPipeName).</summary>
    public static string Name(string socketPath) => ControlPipeName.OfHome(HomeOf(socketPath));

    /// <summary>The server end of one pipe instance; the first must be the first of its name (no squatter).</summary>
    public static NamedPipeServerStream NewInstance(string socketPath, bool first) =>
        CurrentUserPipe.Create(Name(socketPath), NamedPipeServerStream.MaxAllowedServerInstances,
            PipeOptions.Asynchronous | (first ? PipeOptions.FirstPipeInstance : PipeOptions.None));

    /// <summary>A connected client stream.</summary>
    /// <exception cref="DaemonNotRunningException">No daemon holds this PMX_HOME's lock and the pipe does not answer.</exception>
    /// <exception cref="ControlProtocolException">A daemon holds the lock but its pipe did not answer within <paramref name="wait"/>, or the pipe belongs to another user.</exception>
    /// <exception cref="IOException">Connecting failed otherwise.</exception>
    public static NamedPipeClientStream Connect(string socketPath, TimeSpan wait)
    {
        var pipe = new NamedPipeClientStream(".", Name(socketPath), PipeDirection.InOut, PipeOptions.Asynchronous);
        try
        {
            // One immediate try first: the common cases (daemon idle, or no pipe at all) end here.
            if (TryConnect(pipe, TimeSpan.Zero)) return Verified(pipe, socketPath);
            if (!DaemonHoldsLock(socketPath)) throw new DaemonNotRunningException(socketPath);
            if (TryConnect(pipe, wait)) return Verified(pipe, socketPath);
            throw new ControlProtocolException($"pmx: the daemon for PMX_HOME={HomeOf(socketPath)} did not accept the connection within {ClientDeadlines.Describe(wait)}; " +
                                               $"it may be stuck — see {new PmxHome(HomeOf(socketPath)).DaemonLogPath}.");
        }
        catch (UnauthorizedAccessException e)
        {
            pipe.Dispose();
            // A ControlProtocolException, so the CLI says this in one line instead of a stack trace.
            throw new ControlProtocolException($"pmx: the control pipe {Name(socketPath)} for PMX_HOME={HomeOf(socketPath)} belongs to another user " +
                                               $"({e.Message}); pmx refuses to talk to it. Set PMX_HOME to a folder of your own.", e);
        }
        catch
        {
            pipe.Dispose();
            throw;
        }
    }

    /// <summary>Whether a daemon answers on the pipe now.</summary>
    public static ControlSocket.Probe Probe(string socketPath)
    {
        try
        {
            using var pipe = Connect(socketPath, ProbeWait);
            return ControlSocket.Probe.Listening;
        }
        catch (Exception e) when (e is DaemonNotRunningException or ControlProtocolException)
        {
            // A daemon still starting (lock taken, pipe not yet created) or leaving, or a pipe that
            // is not ours (a daemon started now says so when it cannot create its own): not listening.
            return ControlSocket.Probe.Absent;
        }
    }

    static NamedPipeClientStream Verified(NamedPipeClientStream pipe, string socketPath)
    {
        try { CurrentUserPipe.VerifyOwner(pipe); }
        catch (Exception e) when (e is not UnauthorizedAccessException)
        {
            // The server end went away between the connect and the owner check (a daemon leaving:
            // `pmx kill` probing until it is gone); reading the owner of a broken pipe fails with
            // whatever error the system picks. It is a daemon that closed without an answer.
            throw ControlFailures.ClosedWithoutAnswer(socketPath, e);
        }
        return pipe;
    }

    static bool TryConnect(NamedPipeClientStream pipe, TimeSpan wait)
    {
        var deadline = Environment.TickCount64 + (long)wait.TotalMilliseconds;
        var spin = new SpinWait();
        while (true)
        {
            try
            {
                pipe.Connect((int)Math.Max(0, deadline - Environment.TickCount64));
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                // The instance went away between WaitNamedPipe and CreateFile (seen under Wine as
                // error 0x2a4 while the daemon replaces a spent instance): try again.
                spin.SpinOnce();
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The daemon keeps PMX_HOME/daemon.lock open without sharing (DaemonLock), so opening it
    /// fails exactly while a daemon lives. Opening it briefly here can make a daemon starting at
    /// that instant retry its lock once, which it does anyway.
    /// </summary>
    static bool DaemonHoldsLock(string socketPath)
    {
        try
        {
            using var probe = new FileStream(new PmxHome(HomeOf(socketPath)).LockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    static string HomeOf(string socketPath) => Path.GetDirectoryName(Path.GetFullPath(socketPath)) ?? socketPath;
}
