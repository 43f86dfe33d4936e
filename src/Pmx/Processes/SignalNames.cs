namespace Pmx.Processes;

/// <summary>Linux signal numbers (x86_64 / aarch64 share them) and the names users write.</summary>
internal static class SignalNames
{
    static readonly (string Name, int Number)[] Table =
    [
        ("SIGHUP", 1), ("SIGINT", 2), ("SIGQUIT", 3), ("SIGILL", 4), ("SIGTRAP", 5), ("SIGABRT", 6),
        ("SIGBUS", 7), ("SIGFPE", 8), ("SIGKILL", 9), ("SIGUSR1", 10), ("SIGSEGV", 11), ("SIGUSR2", 12),
        ("SIGPIPE", 13), ("SIGALRM", 14), ("SIGTERM", 15), ("SIGSTKFLT", 16), ("SIGCHLD", 17),
        ("SIGCONT", 18), ("SIGSTOP", 19), ("SIGTSTP", 20), ("SIGTTIN", 21), ("SIGTTOU", 22),
        ("SIGURG", 23), ("SIGXCPU", 24), ("SIGXFSZ", 25), ("SIGVTALRM", 26), ("SIGPROF", 27),
        ("SIGWINCH", 28), ("SIGIO", 29), ("SIGPWR", 30), ("SIGSYS", 31),
    ];

    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
        SIGPIPE = 13, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19;

    /// <summary>Accepts "SIGTERM", "TERM", "sigterm" or "15"; gives the canonical name.</summary>
    public static bool TryParse(string text, out int number, out string canonicalName)
    {
        var t = text.Trim();
        if (int.TryParse(t, out var n))
        {
            foreach (var (name, num) in Table)
                if (num == n) { number = num; canonicalName = name; return true; }
        }
        else
        {
            var upper = t.ToUpperInvariant();
            if (!upper.StartsWith("SIG", StringComparison.Ordinal)) upper = "SIG" + upper;
            foreach (var (name, num) in Table)
                if (name == upper) { number = num; canonicalName = name; return true; }
        }
        number = 0;
        canonicalName = "";
        return false;
    }

    /// <summary>"SIGKILL" for 9; "signal 40" for numbers without a name (real-time signals).</summary>
    public static string NameOf(int number)
    {
        foreach (var (name, num) in Table)
            if (num == number) return name;
        return $"signal {number}";
    }

    public static IEnumerable<string> AllNames => Table.Select(t => t.Name);
}
