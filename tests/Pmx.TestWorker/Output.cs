namespace Pmx.TestWorker;

/// <summary>
/// The worker's own status lines, all shaped <c>testworker pid=&lt;pid&gt; &lt;fact&gt;</c> so tests can
/// grep one line and know which process said it. Console.Out flushes every write, so each line
/// reaches pmx's log pipe before the worker moves on (or dies).
/// </summary>
sealed class Output
{
    public int Pid { get; } = Environment.ProcessId;

    public void Line(string fact) => Console.Out.WriteLine($"testworker pid={Pid} {fact}");

    /// <summary>A note about the environment (a missing variable, a failed send); never fatal.</summary>
    public void Note(string message) => Console.Error.WriteLine($"testworker pid={Pid}: {message}");
}
