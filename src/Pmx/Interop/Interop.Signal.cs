using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    // glibc sizes on x86_64 and aarch64: sigset_t is 128 bytes; struct sigaction is 152 with
    // sa_handler first. The sigaction buffer is rounded up so no field can overrun it.
    const int SigSetBytes = 128;
    const int SigActionBytes = 256;
    const int SIG_SETMASK = 2;
    const nint SIG_DFL = 0;
    const nint SIG_IGN = 1;
    const nint SIG_ERR = -1;

    /// <summary>The highest signal number on Linux (SIGRTMAX).</summary>
    internal const int SignalMax = 64;

    /// <summary>signal(2). Returns the previous handler, or SIG_ERR with errno set (EINVAL for SIGKILL, SIGSTOP, glibc's own RT signals).</summary>
    [LibraryImport(Libc, EntryPoint = "signal", SetLastError = true)]
    private static partial nint signal(int signal, nint handler);

    /// <summary>sigaction(2), used here only to read a disposition (act = null). Returns 0, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "sigaction", SetLastError = true)]
    private static partial int sigaction(int signal, void* act, void* oldact);

    /// <summary>pthread_sigmask(3). Returns 0 or an errno value directly (it does not set errno).</summary>
    [LibraryImport(Libc, EntryPoint = "pthread_sigmask")]
    private static partial int pthread_sigmask(int how, void* set, void* oldset);

    /// <summary>sigemptyset(3). Returns 0 (fails only for a null pointer).</summary>
    [LibraryImport(Libc, EntryPoint = "sigemptyset")]
    internal static partial int sigemptyset(void* set);

    /// <summary>sigfillset(3). Returns 0 (fails only for a null pointer).</summary>
    [LibraryImport(Libc, EntryPoint = "sigfillset")]
    internal static partial int sigfillset(void* set);

    /// <summary>True when the signal's current disposition is SIG_IGN (which execve and fork pass on).</summary>
    internal static bool IsSignalIgnored(int signalNumber)
    {
        byte* old = stackalloc byte[SigActionBytes];
        new Span<byte>(old, SigActionBytes).Clear();
        if (sigaction(signalNumber, null, old) != 0) return false; // invalid number: nothing to reset
        return *(nint*)old == SIG_IGN;
    }

    /// <summary>Sets the disposition to SIG_DFL. False when the kernel refuses (SIGKILL, SIGSTOP, glibc-reserved).</summary>
    internal static bool ResetSignalToDefault(int signalNumber) => signal(signalNumber, SIG_DFL) != SIG_ERR;

    /// <summary>Empties the calling thread's signal mask (the mask execve keeps). Returns 0 or an errno.</summary>
    internal static Errno UnblockAllSignalsOnThisThread()
    {
        byte* set = stackalloc byte[SigSetBytes];
        sigemptyset(set);
        return (Errno)pthread_sigmask(SIG_SETMASK, set, null);
    }
}
