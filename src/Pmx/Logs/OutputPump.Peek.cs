using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Pmx.Interop.Interop;

namespace Pmx.Logs;

// Peek, deliver, write, then take (daemons with a keeper, issue 14). The keeper holds a copy of
// every worker's pipe, so a line still in the pipe outlives the daemon; a line the daemon has read
// but not yet written would die with it. So the pump copies each pipe's bytes out with tee(2),
// which leaves them in the pipe, hands the lines to the sinks, waits for the writer, and only then
// reads the same number of bytes out for good. A daemon killed in between leaves them for the
// next one: at worst a line is written twice, never lost.
internal sealed partial class OutputPump
{
    readonly SafeFileHandle? _peekRead, _peekWrite;
    /// <summary>Pipes peeked this turn, whose bytes are taken out once they are written (pump thread only).</summary>
    readonly List<Attachment> _peeked = [];

    static (SafeFileHandle Read, SafeFileHandle Write) OpenPeekPipe()
    {
        // Its capacity (64 KB or more) takes a whole tee of ReadBufferBytes; each tee's bytes are read out at once.
        if (CreateCloexecPipe(out var readFd, out var writeFd) != 0) throw Failure("pipe2 for the output pump");
        return (new SafeFileHandle(readFd, ownsHandle: true), new SafeFileHandle(writeFd, ownsHandle: true));
    }

    /// <summary>
    /// Delivers the lines of one tee of the pipe, leaving its bytes in the pipe (see above); returns
    /// true while the pipe stays open. A read end tee cannot copy from is read the usual way.
    /// </summary>
    unsafe bool Peek(Attachment attachment)
    {
        var fd = (int)attachment.ReadEnd.DangerousGetHandle();
        while (true)
        {
            var copied = tee(fd, (int)_peekWrite!.DangerousGetHandle(), ReadBufferBytes, SPLICE_F_NONBLOCK);
            if (copied > 0)
            {
                ReadExactly(_peekRead!, (int)copied);
                try { attachment.Splitter.Push(_readBuffer.AsSpan(0, (int)copied), attachment.Sink); }
                catch (Exception e) { ReportSinkFailure(e); }
                attachment.Unconsumed = (int)copied;
                _peeked.Add(attachment);
                return true;
            }
            if (copied == 0)
            {
                Close(attachment); // empty, and every write end is closed
                return false;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == (int)ReadErrno.EINTR) continue;
            if (errno == (int)ReadErrno.EAGAIN) return true;
            return Service(attachment, ReadsPerTurn * ReadBufferBytes);
        }
    }

    /// <summary>Takes out of each pipe peeked this turn the bytes already delivered.</summary>
    void TakePeeked()
    {
        foreach (var attachment in _peeked) Take(attachment);
        _peeked.Clear();
    }

    /// <summary>Takes out of the pipe the bytes a peek delivered, so the next read starts after them.</summary>
    unsafe void Take(Attachment attachment)
    {
        var left = attachment.Unconsumed;
        attachment.Unconsumed = 0;
        if (left == 0 || attachment.ReadEnd.IsClosed) return;
        var fd = (int)attachment.ReadEnd.DangerousGetHandle();
        fixed (byte* buffer = _readBuffer)
        {
            while (left > 0)
            {
                var count = read(fd, buffer, (nuint)left);
                if (count > 0) { left -= (int)count; continue; }
                if (count < 0 && Marshal.GetLastPInvokeError() == (int)ReadErrno.EINTR) continue;
                // Cannot happen while the pump is the pipe's only reader; say so rather than spin.
                Console.Error.WriteLine($"pmx internal error: a worker's pipe held fewer bytes than were peeked ({left} missing)");
                return;
            }
        }
    }

    unsafe void ReadExactly(SafeFileHandle pipe, int count)
    {
        var fd = (int)pipe.DangerousGetHandle();
        var done = 0;
        fixed (byte* buffer = _readBuffer)
        {
            while (done < count)
            {
                var got = read(fd, buffer + done, (nuint)(count - done));
                if (got > 0) done += (int)got;
                else if (got < 0 && Marshal.GetLastPInvokeError() == (int)ReadErrno.EINTR) continue;
                else Environment.FailFast($"pmx internal error: the output pump's own pipe returned {got} of {count} bytes");
            }
        }
    }
}
