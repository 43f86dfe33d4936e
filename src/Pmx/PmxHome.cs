namespace Pmx;

/// <summary>
/// The folder one daemon owns (DESIGN §1): control socket, daemon log, worker logs, saved state.
/// Every test points PMX_HOME at its own temp folder, so nothing here may assume ~/.pmx.
/// </summary>
internal sealed record PmxHome(string Root)
{
    public string SocketPath => Path.Combine(Root, "pmx.sock");
    public string DaemonLogPath => Path.Combine(Root, "daemon.log");
    public string PidFilePath => Path.Combine(Root, "daemon.pid");
    /// <summary>Held (flock) by the daemon for its whole life: one daemon per PMX_HOME.</summary>
    public string LockPath => Path.Combine(Root, "daemon.lock");
    public string LogsDirectory => Path.Combine(Root, "logs");
    public string DumpPath => Path.Combine(Root, "dump.toml");
    /// <summary>The workers' sd_notify sockets (owner-only, so other users cannot reach them).</summary>
    public string NotifyDirectory => Path.Combine(Root, "notify");

    /// <summary>PMX_HOME, else ~/.pmx (on Windows %USERPROFILE%\.pmx).</summary>
    public static PmxHome FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable("PMX_HOME");
        if (!string.IsNullOrEmpty(configured)) return new PmxHome(Path.GetFullPath(configured));
        return new PmxHome(DefaultRoot);
    }

    /// <summary>The folder used when PMX_HOME is not set: ~/.pmx (on Windows %USERPROFILE%\.pmx).</summary>
    public static string DefaultRoot => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pmx");

    /// <summary>Creates the folder (0700: it holds the control socket) and its logs folder.</summary>
    public void EnsureExists()
    {
        if (OperatingSystem.IsWindows())
        {
            // Under %USERPROFILE% the folder inherits an ACL that admits only this user (and the
            // system); the control pipe carries its own ACL (ControlPipe).
            Directory.CreateDirectory(LogsDirectory);
            return;
        }
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(Root, ownerOnly);
        // CreateDirectory leaves an existing folder's mode alone; a home made by hand may be wider.
        if ((File.GetUnixFileMode(Root) & ~ownerOnly) != 0) File.SetUnixFileMode(Root, ownerOnly);
        Directory.CreateDirectory(LogsDirectory, ownerOnly);
    }
}
