using System.Runtime.InteropServices;

namespace Pmx.Interop;

internal static partial class Interop
{
    // epoll(7): one kernel object watches every worker pipe, so one thread serves hundreds of workers.

    internal const int EPOLL_CLOEXEC = 0x80000;
    internal const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    internal const uint EPOLLIN = 0x001, EPOLLERR = 0x008, EPOLLHUP = 0x010;

    /// <summary>
    /// struct epoll_event is packed on x86-64 (12 bytes: events at 0, data at 4) and naturally
    /// aligned elsewhere (16 bytes: data at 8), see __EPOLL_PACKED in sys/epoll.h. pmx reads and
    /// writes it by offset so one binary layout rule covers both.
    /// </summary>
    internal static readonly int EpollEventSize =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? 12 : 16;
    internal static readonly int EpollEventDataOffset = EpollEventSize == 12 ? 4 : 8;

    /// <summary>Returns a new epoll fd, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int epoll_create1(int flags);

    /// <summary>Returns 0, or -1 with errno set. <paramref name="ev"/> points at one epoll_event (may be null for DEL).</summary>
    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static unsafe partial int epoll_ctl(int epfd, int op, int fd, byte* ev);

    /// <summary>Returns the number of ready events written to <paramref name="events"/>, or -1 with errno set (EINTR when a signal arrived).</summary>
    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static unsafe partial int epoll_wait(int epfd, byte* events, int maxevents, int timeout);

    // eventfd(2) is the wake-up companion of epoll: writing to it makes epoll_wait return, which is
    // how other threads hand the pump thread new pipes or a stop request.

    internal const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;

    /// <summary>Returns a new eventfd, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);

    /// <summary>Adds <paramref name="value"/> to the counter. Returns 0, or -1 with errno set.</summary>
    [LibraryImport(Libc, EntryPoint = "eventfd_write", SetLastError = true)]
    internal static partial int eventfd_write(SafeHandle fd, ulong value);

    /// <summary>Reads and resets the counter. Returns 0, or -1 with errno set (EAGAIN when it is zero and the fd is non-blocking).</summary>
    [LibraryImport(Libc, EntryPoint = "eventfd_read", SetLastError = true)]
    internal static partial int eventfd_read(SafeHandle fd, out ulong value);
}
