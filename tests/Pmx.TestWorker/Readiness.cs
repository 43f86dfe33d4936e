using System.Net.Sockets;
using System.Text;

namespace Pmx.TestWorker;

/// <summary>
/// The two ways a worker tells pmx it is ready (DESIGN §4): an sd_notify datagram to NOTIFY_SOCKET,
/// and Node's IPC channel on NODE_CHANNEL_FD. A missing variable is a note on stderr, never an
/// error: the same command line must also run outside pmx.
/// </summary>
sealed class Readiness(Output output)
{
    /// <summary>Sends one sd_notify datagram, e.g. "READY=1\nSTATUS=serving" (sd_notify(3): newline-separated assignments).</summary>
    public void Notify(string message)
    {
        var name = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(name))
        {
            output.Note($"NOTIFY_SOCKET is not set; not sending {message.Replace('\n', ' ')}");
            return;
        }
        // A leading '@' names a socket in Linux's abstract namespace, whose real first byte is NUL (unix(7)).
        var path = name[0] == '@' ? "\0" + name[1..] : name;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.SendTo(Encoding.UTF8.GetBytes(message), new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            output.Note($"cannot send {message.Replace('\n', ' ')} to NOTIFY_SOCKET={name}: {e.Message} ({e.SocketErrorCode}). Is the receiver still bound?");
        }
    }

    /// <summary>What Node's process.send('ready') puts on the channel in json serialization mode: the JSON string and a newline.</summary>
    public void NodeReady()
    {
        var text = Environment.GetEnvironmentVariable("NODE_CHANNEL_FD");
        if (string.IsNullOrEmpty(text))
        {
            output.Note("NODE_CHANNEL_FD is not set; not writing \"ready\"");
            return;
        }
        if (!int.TryParse(text, out var fd) || fd < 0)
        {
            output.Note($"NODE_CHANNEL_FD={text} is not a file descriptor; not writing \"ready\"");
            return;
        }
        try
        {
            // ownsHandle: false, because the channel stays pmx's to close; we only borrow the fd to write.
            using var channel = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
            channel.Send("\"ready\"\n"u8);
        }
        catch (SocketException e)
        {
            output.Note($"cannot write \"ready\" to NODE_CHANNEL_FD={fd}: {e.Message} ({e.SocketErrorCode}). Is it the socketpair end pmx passed?");
        }
    }

    /// <summary>Says READY=1 and/or "ready" as the flags ask, after --ready-delay; --never-ready wins over both.</summary>
    public async Task SayReadyAsync(Flags flags)
    {
        if (!flags.IsNotifyReady && !flags.IsNodeReady) return;
        if (flags.IsNeverReady)
        {
            output.Line("never ready (--never-ready)");
            return;
        }
        if (flags.ReadyDelay > TimeSpan.Zero) await Task.Delay(flags.ReadyDelay);
        if (flags.IsNotifyReady) Notify($"READY=1\nSTATUS={flags.Status ?? "serving"}");
        if (flags.IsNodeReady) NodeReady();
        output.Line("ready");
    }
}
