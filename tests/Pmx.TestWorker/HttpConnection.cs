using System.Net.Sockets;

namespace Pmx.TestWorker;

/// <summary>
/// One client connection: read a request, answer it, repeat while both sides want keep-alive.
/// Once the server drains, every answer says "Connection: close" and the loop ends after it.
/// </summary>
sealed class HttpConnection(Socket socket, HttpServer server, HttpRoutes routes)
{
    /// <summary>How long a closing connection waits for the client's FIN before closing anyway.</summary>
    static readonly TimeSpan LingerForClientClose = TimeSpan.FromSeconds(1);

    public async Task ServeAsync()
    {
        using var _ = socket;
        try
        {
            await ConverseAsync();
        }
        catch (SocketException)
        {
            return; // the client reset or vanished; nothing left to answer
        }
        await CloseGracefullyAsync();
    }

    async Task ConverseAsync()
    {
        var reader = new HttpRequestReader(socket);
        var served = 0;
        try
        {
            while (true)
            {
                // A connection that has not sent its first request yet was accepted moments ago and
                // its request is likely in flight, so it gets longer than an idle keep-alive one.
                var giveUp = served == 0 ? server.SilentConnectionsClose : server.IdleConnectionsClose;
                HttpRequest? request;
                try { request = await reader.ReadAsync(giveUp); }
                catch (OperationCanceledException) { return; }
                if (request is null) return;

                var answer = routes.Answer(request);
                if (answer.Delay > TimeSpan.Zero) await Task.Delay(answer.Delay); // in flight: a drain waits for it
                // Checked after the delay: a drain that began during a /slow request must still close it.
                var closes = request.WantsClose || server.IsDraining;
                await socket.SendAsync(HttpRoutes.Frame(answer, request.Method == "HEAD", closes), SocketFlags.None);
                served++;
                if (closes) return;
            }
        }
        catch (BadRequestException e)
        {
            await socket.SendAsync(HttpRoutes.Frame(e), SocketFlags.None);
        }
    }

    /// <summary>
    /// Half-close, then read until the client's FIN. Closing with unread bytes in the receive buffer
    /// makes the kernel send RST (RFC 1122 §4.2.2.13), which can destroy the response just sent.
    /// </summary>
    async Task CloseGracefullyAsync()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var linger = new CancellationTokenSource(LingerForClientClose);
            var scratch = new byte[4096];
            while (await socket.ReceiveAsync(scratch, SocketFlags.None, linger.Token) > 0) { }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException) { }
    }
}
