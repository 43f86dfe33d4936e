using System.Net;
using System.Runtime.Versioning;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Pmx.Hosting;

/// <summary>
/// Kestrel's transport for exactly one endpoint, pmx's handed-over socket (a FileHandleEndPoint
/// with its handle); every other endpoint the app listens on stays with Kestrel's own transport.
/// </summary>
[SupportedOSPlatform("windows")]
sealed class HandoffListenerFactory(HandoffPipe pipe, ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) =>
        endpoint is FileHandleEndPoint handle && handle.FileHandle == (ulong)pipe.Listener.Handle;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var connections = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(),
            loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        return ValueTask.FromResult<IConnectionListener>(new PolledAcceptListener(pipe.Listener, endpoint, connections));
    }
}
