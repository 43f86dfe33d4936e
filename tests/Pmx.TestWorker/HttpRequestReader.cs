using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Pmx.TestWorker;

/// <summary>One parsed request line and the headers that decide framing and keep-alive.</summary>
sealed record HttpRequest(string Method, string Target, bool WantsClose);

/// <summary>The client broke HTTP/1.1 framing; answer with this status and close (RFC 9112 §2.2, §6).</summary>
sealed class BadRequestException(int status, string reason) : Exception(reason)
{
    public int Status { get; } = status;
}

/// <summary>
/// Reads requests off one connection. Bytes after a request's end stay buffered, so pipelined
/// requests are answered in order. Request bodies (Content-Length) are read and discarded; chunked
/// bodies are refused, since no test sends one.
/// </summary>
sealed class HttpRequestReader(Socket socket)
{
    const int MaxHeaderBytes = 64 * 1024;
    byte[] _buffer = new byte[8 * 1024];
    int _start, _end;

    /// <summary>The next request, or null when the client closed the connection cleanly between requests.</summary>
    public async Task<HttpRequest?> ReadAsync(CancellationToken giveUp)
    {
        while (true)
        {
            var headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (headerEnd >= 0)
            {
                var head = Encoding.Latin1.GetString(_buffer, _start, headerEnd);
                _start += headerEnd + 4;
                var (request, contentLength) = Parse(head);
                await SkipAsync(contentLength, giveUp);
                return request;
            }
            if (_end - _start >= MaxHeaderBytes) throw new BadRequestException(431, "Request Header Fields Too Large");
            if (!await FillAsync(giveUp))
                return _end == _start ? null : throw new BadRequestException(400, "Bad Request");
        }
    }

    static (HttpRequest Request, long ContentLength) Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            throw new BadRequestException(400, "Bad Request");
        var isHttp10 = requestLine[2] == "HTTP/1.0";
        bool hasClose = false, hasKeepAlive = false;
        long contentLength = 0;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new BadRequestException(400, "Bad Request");
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in value.Split(',', StringSplitOptions.TrimEntries))
                {
                    hasClose |= token.Equals("close", StringComparison.OrdinalIgnoreCase);
                    hasKeepAlive |= token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
                }
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out contentLength))
                    throw new BadRequestException(400, "Bad Request");
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                throw new BadRequestException(501, "Not Implemented");
            }
        }
        // HTTP/1.1 keeps the connection unless told otherwise; HTTP/1.0 closes unless told otherwise (RFC 9112 §9.3).
        var wantsClose = hasClose || (isHttp10 && !hasKeepAlive);
        return (new HttpRequest(requestLine[0], requestLine[1], wantsClose), contentLength);
    }

    async Task SkipAsync(long count, CancellationToken giveUp)
    {
        while (count > 0)
        {
            var buffered = Math.Min(count, _end - _start);
            _start += (int)buffered;
            count -= buffered;
            if (count > 0 && !await FillAsync(giveUp)) throw new BadRequestException(400, "Bad Request");
        }
    }

    /// <summary>Reads more bytes after the buffered ones; false at end of stream.</summary>
    async Task<bool> FillAsync(CancellationToken giveUp)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, giveUp);
        _end += read;
        return read > 0;
    }
}
