using System.Diagnostics;

namespace Pmx.Tests.Sockets;

/// <summary>
/// Sends one datagram as another user (nobody, uid 65534): setpriv drops root's ids before python
/// runs, so the kernel stamps the datagram with uid 65534. The tests run as root for this.
/// </summary>
internal static class OtherUserSender
{
    public const uint Uid = 65534;

    const string Script =
        "import socket, sys\n" +
        "path = sys.argv[1]\n" +
        "path = '\\0' + path[1:] if path.startswith('@') else path\n" +
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n" +
        "try:\n" +
        "    s.sendto(sys.argv[2].encode(), path)\n" +
        "except OSError as e:\n" +
        "    print(e, file=sys.stderr); sys.exit(3)\n";

    /// <summary>The sender's exit code: 0 sent, 3 refused by the kernel (e.g. EACCES on a 0700 folder).</summary>
    public static async Task<int> SendAsync(string notifySocket, string payload, CancellationToken ct)
    {
        var start = new ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", Script, notifySocket, payload])
            start.ArgumentList.Add(arg);
        using var sender = Process.Start(start)!;
        var stderr = sender.StandardError.ReadToEndAsync(ct);
        await sender.WaitForExitAsync(ct);
        if (sender.ExitCode is not (0 or 3)) throw new InvalidOperationException($"the sender failed (exit {sender.ExitCode}): {await stderr}");
        return sender.ExitCode;
    }

    public static bool IsRoot => Pmx.Interop.Interop.geteuid() == 0;
}
