using Microsoft.Win32.SafeHandles;

namespace Pmx.Logs;

internal sealed partial class OutputPump
{
    /// <summary>One attached pipe; disposing it asks the pump thread to drain and detach it.</summary>
    sealed class Attachment(OutputPump pump, ulong token, SafeFileHandle readEnd, ILineSink sink) : IDisposable
    {
        public ulong Token { get; } = token;
        public SafeFileHandle ReadEnd { get; } = readEnd;
        public ILineSink Sink { get; } = sink;
        public LineSplitter Splitter { get; } = new();
        /// <summary>Bytes delivered from a peek but still in the pipe (pump thread only).</summary>
        public int Unconsumed { get; set; }
        int _isDetachRequested;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _isDetachRequested, 1) != 0) return;
            pump.Request(this, isAttach: false); // false when stopping: the stop drains it anyway

        }
    }
}
