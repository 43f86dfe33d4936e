using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pmx.EndToEnd;

/// <summary>
/// A bounded HTTP/1.1 load generator for 127.0.0.1 that counts every failed request: a refused or
/// reset connection, a timeout, a connection closed before a full response, or a non-2xx status.
/// Keep-alive mode reuses a connection until the server says `Connection: close`.
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    readonly int _port;
    readonly bool _keepAlive;
    readonly string _path;
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _loops = [];
    readonly object _gate = new();
    readonly Dictionary<string, int> _bodies = [];
    readonly List<string> _failures = [];
    int _succeeded;

    public LoadClient(int port, int concurrency, bool keepAlive, string path = "/")
    {
        _port = port;
        _keepAlive = keepAlive;
        _path = path;
        for (var i = 0; i < concurrency; i++) _loops.Add(Task.Run(Loop));
    }

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public int Succeeded { get { lock (_gate) return _succeeded; } }
    public IReadOnlyList<string> Failures { get { lock (_gate) return _failures.ToList(); } }
    /// <summary>Response bodies up to the first space ("tag=v2"), counted.</summary>
    public IReadOnlyDictionary<string, int> Tags { get { lock (_gate) return new Dictionary<string, int>(_bodies); } }

    public async Task<int> SucceededAfter(int count, CancellationToken ct)
    {
        await Poll.Until(() => Succeeded >= count, TimeSpan.FromSeconds(15), $"{count} successful requests", ct);
        return Succeeded;
    }

    async Task Loop()
    {
        Socket? connection = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (connection is null)
                {
                    connection = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    using var connectTimeout = new CancellationTokenSource(RequestTimeout);
                    await connection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), connectTimeout.Token);
                }
                var (status, body, closes) = await Exchange(connection, _path, _keepAlive);
                Record(status, body);
                if (closes || !_keepAlive) { connection.Dispose(); connection = null; }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                if (_stop.IsCancellationRequested) break;
                lock (_gate) _failures.Add(e is OperationCanceledException ? "timeout" : e.Message);
                connection?.Dispose();
                connection = null;
            }
        }
        connection?.Dispose();
    }

    void Record(int status, string body)
    {
        lock (_gate)
        {
            if (status / 100 != 2) { _failures.Add($"HTTP {status}"); return; }
            _succeeded++;
            var tag = body.Split(' ')[0];
            _bodies[tag] = _bodies.GetValueOrDefault(tag) + 1;
        }
    }

    /// <summary>One request and its response on an open connection.</summary>
    public static async Task<(int Status, string Body, bool Closes)> Exchange(Socket connection, string path, bool keepAlive)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var request = $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n";
        await connection.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);
        var buffer = new byte[8192];
        var received = new List<byte>();
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            var n = await connection.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException(received.Count == 0 ? "connection closed before any response" : "connection closed mid-headers");
            received.AddRange(buffer.AsSpan(0, n));
        }
        var head = Encoding.ASCII.GetString(received.GetRange(0, headerEnd).ToArray());
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var length = 0;
        var closes = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var name = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (name == "content-length") length = int.Parse(value);
            if (name == "connection" && value.Equals("close", StringComparison.OrdinalIgnoreCase)) closes = true;
        }
        var bodyStart = headerEnd + 4;
        while (received.Count - bodyStart < length)
        {
            var n = await connection.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0) throw new IOException("connection closed mid-body");
            received.AddRange(buffer.AsSpan(0, n));
        }
        return (status, Encoding.UTF8.GetString(received.GetRange(bodyStart, length).ToArray()), closes);
    }

    static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (var i = 3; i < bytes.Count; i++)
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') return i - 3;
        return -1;
    }

    /// <summary>One fresh-connection GET, for probes.</summary>
    public static async Task<(int Status, string Body)> Get(int port, string path = "/")
    {
        using var connection = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await connection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var (status, body, _) = await Exchange(connection, path, keepAlive: false);
        return (status, body);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_loops);
    }
}
