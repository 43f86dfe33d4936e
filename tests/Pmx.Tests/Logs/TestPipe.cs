using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Pmx.Tests.Logs;

/// <summary>A real pipe: the read end as the pump takes it, the write end as a stream (the "worker").</summary>
internal sealed class TestPipe : IDisposable
{
    readonly AnonymousPipeServerStream _server = new(PipeDirection.Out, HandleInheritability.None);

    public TestPipe()
    {
        // Take the read end's fd over, so the pump (not the pipe stream) closes it.
        ReadEnd = new SafeFileHandle(_server.ClientSafePipeHandle.DangerousGetHandle(), ownsHandle: true);
        _server.ClientSafePipeHandle.SetHandleAsInvalid();
    }

    public SafeFileHandle ReadEnd { get; }
    public Stream WriteEnd => _server;

    public void Write(string text) => _server.Write(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Closing the only write end is what a worker's exit looks like: end of file.</summary>
    public void Dispose() => _server.Dispose();
}
