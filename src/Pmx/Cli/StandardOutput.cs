using System.Text;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Cli;

/// <summary>
/// Stdout for the commands scripts repeat most (`pmx --version`, `pmx list`): the same bytes
/// Console.Out writes, without setting the console up.
/// </summary>
/// <remarks>
/// Console.Out's first write looks up the charset named by LANG in the encoding tables and
/// initializes the terminal (a signal-handling thread, termios, SIGCONT/SIGCHLD handlers): about a
/// third of the CPU time of `pmx --version` past the runtime's own start (perf). Only ASCII text
/// takes this path, where every charset Console could pick writes the same bytes; anything else,
/// and any write error other than the reader having gone (EPIPE, which Console ignores too),
/// goes to Console, so its behaviour stays the reference.
/// </remarks>
internal static class StandardOutput
{
    public static void Write(string text)
    {
        if (!OperatingSystem.IsLinux() || !Ascii.IsValid(text))
        {
            Console.Out.Write(text);
            return;
        }
        var bytes = Encoding.ASCII.GetBytes(text);
        using var stdout = new SafeFileHandle(1, ownsHandle: false);
        var errno = WriteAll(stdout, bytes, out var done);
        if (errno is 0 or Errno.EPIPE) return;
        // E.g. EAGAIN on a non-blocking stdout: Console knows how to wait for it.
        using var console = Console.OpenStandardOutput();
        console.Write(bytes, done, bytes.Length - done);
    }

    public static void WriteLine(string line) => Write(line + "\n");
}
