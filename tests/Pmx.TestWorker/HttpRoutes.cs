using System.Globalization;
using System.Text;

namespace Pmx.TestWorker;

/// <summary>A response before framing: status, reason, body, and how long to make the client wait first.</summary>
sealed record HttpAnswer(int Status, string Reason, string Body, TimeSpan Delay);

/// <summary>
/// What each path answers. The body names tag, pid and instance so a test can tell which worker
/// generation and which instance served each request (reload and load-balancing assertions).
/// </summary>
sealed class HttpRoutes(string tag, int pid)
{
    readonly string _identity = $"tag={tag} pid={pid} instance={Environment.GetEnvironmentVariable("PMX_INSTANCE") ?? "-"}\n";

    public HttpAnswer Answer(HttpRequest request)
    {
        if (request.Method is not ("GET" or "HEAD")) return new(405, "Method Not Allowed", "only GET and HEAD\n", TimeSpan.Zero);
        var query = request.Target.IndexOf('?');
        var path = query < 0 ? request.Target : request.Target[..query];
        return path switch
        {
            "/" => new(200, "OK", _identity, TimeSpan.Zero),
            "/health" => new(200, "OK", "ok", TimeSpan.Zero),
            "/slow" => new(200, "OK", _identity, TimeSpan.FromMilliseconds(SlowMilliseconds(query < 0 ? "" : request.Target[(query + 1)..]))),
            _ => new(404, "Not Found", "not found\n", TimeSpan.Zero),
        };
    }

    /// <summary>The ms= of /slow's query, 1000 when absent or unreadable.</summary>
    static int SlowMilliseconds(string query)
    {
        foreach (var pair in query.Split('&'))
            if (pair.StartsWith("ms=", StringComparison.Ordinal)
                && int.TryParse(pair.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                return ms;
        return 1000;
    }

    /// <summary>Status line, headers and body in one buffer, so each response is a single send.</summary>
    public static byte[] Frame(HttpAnswer answer, bool isHead, bool closesConnection)
    {
        var body = Encoding.UTF8.GetBytes(answer.Body);
        var head = $"HTTP/1.1 {answer.Status} {answer.Reason}\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + $"Content-Length: {body.Length}\r\n"
            + $"Connection: {(closesConnection ? "close" : "keep-alive")}\r\n\r\n";
        return isHead ? Encoding.ASCII.GetBytes(head) : [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    public static byte[] Frame(BadRequestException error) =>
        Frame(new HttpAnswer(error.Status, error.Message, error.Message + "\n", TimeSpan.Zero), isHead: false, closesConnection: true);
}
