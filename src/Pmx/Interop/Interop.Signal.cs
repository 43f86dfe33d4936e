using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static unsafe partial class Interop
{
    // glibc's sigset_t is 128 bytes on x86_64 and aarch64.
    const int SigSetBytes = 128;
    const int SIG_SETMASK = 2;
    const nint SIG_IGN = 1;

    /// <summary>The highest signal number on Linux (SIGRTMAX).</summary>
    internal const int SignalMax = 64;

    /// <summary>
    /// syscall(2) for rt_sigaction. Returns 0, or -1 with errno set (EINVAL: SIGKILL, SIGSTOP).
    /// The raw call is needed because glibc's sigaction/signal refuse 32 and 33 (its private
    /// SIGCANCEL/SIGSETXID), and posix_spawn's SETSIGDEF skips them too, yet a parent can leave
    /// them ignored (seen under `dotnet test`), and ignored dispositions survive execve.
    /// </summary>
    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint syscall(nint number, nint arg1, void* arg2, void* arg3, nint arg4);

    // struct kernel_sigaction: the handler comes first on every architecture; 32 bytes covers
    // handler, flags, restorer and the kernel's 8-byte sigset (64 leaves room). All zero means SIG_DFL.
    const int KernelSigActionBytes = 64;
    const int KernelSigSetBytes = 8;

    static nint RtSigactionNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 13,
        Architecture.Arm64 => 134,
        var other => throw new PlatformNotSupportedException($"rt_sigaction syscall number unknown for {other}"),
    };

    static int rt_sigaction(int signal, void* act, void* oldact) =>
        (int)syscall(RtSigactionNumber, signal, act, oldact, KernelSigSetBytes);

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
        byte* old = stackalloc byte[KernelSigActionBytes];
        new Span<byte>(old, KernelSigActionBytes).Clear();
        if (rt_sigaction(signalNumber, null, old) != 0) return false; // invalid number: nothing to reset
        return *(nint*)old == SIG_IGN;
    }

    /// <summary>Sets the disposition to SIG_DFL (glibc-reserved 32 and 33 included). False when the kernel refuses (SIGKILL, SIGSTOP).</summary>
    internal static bool ResetSignalToDefault(int signalNumber)
    {
        byte* act = stackalloc byte[KernelSigActionBytes];
        new Span<byte>(act, KernelSigActionBytes).Clear(); // sa_handler = SIG_DFL, no flags, empty mask
        return rt_sigaction(signalNumber, act, null) == 0;
    }

    /// <summary>Empties the calling thread's signal mask (the mask execve keeps). Returns 0 or an errno.</summary>
    internal static Errno UnblockAllSignalsOnThisThread()
    {
        byte* set = stackalloc byte[SigSetBytes];
        sigemptyset(set);
        return (Errno)pthread_sigmask(SIG_SETMASK, set, null);
    }
}
