namespace Pmx.Cli;

/// <summary>`pmx startup [systemd] [-u USER] [--hp HOME] [--install]`: start pmx at boot with the apps of the last `pmx save`.</summary>
internal static class StartupCommand
{
    public static int Run(string? system, bool install, string? user, string? home)
    {
        if (OperatingSystem.IsWindows()) return WindowsStartup.Startup(system, install, user, home);
        if (!OperatingSystem.IsLinux()) return Unsupported();
        system ??= "systemd";
        if (!string.Equals(system, "systemd", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"pmx: startup supports 'systemd' only for now, not '{StartupTarget.Escaped(system)}'");
            return ExitCodes.Usage;
        }
        if (Target(user, home) is not (string targetUser, string pmxHome)) return ExitCodes.Usage;
        var pmxPath = Environment.ProcessPath ?? "/usr/local/bin/pmx";
        foreach (var (what, value) in new[] { ("PMX_HOME", pmxHome), ("the path of pmx", pmxPath) })
        {
            if (SystemdUnit.Unsafe(value) is not { } problem) continue;
            Console.Error.WriteLine($"pmx: cannot write a systemd unit: {what} {problem}. Use a folder name without control characters");
            return ExitCodes.Usage;
        }

        if (targetUser == "root" && TrustProblem(pmxHome, pmxPath) is { } trust)
        {
            Console.Error.WriteLine($"pmx: refusing to write a unit that runs as root: {trust}");
            return ExitCodes.Usage;
        }

        var unit = SystemdUnit.Render(pmxPath, pmxHome, targetUser);
        if (!install)
        {
            Console.Out.Write(unit);
            Console.Error.WriteLine($"pmx: to install it: pmx startup systemd --install (as root), then 'pmx save' whenever your app list changes");
            return ExitCodes.Ok;
        }
        var path = Path.Combine("/etc/systemd/system", SystemdUnit.UnitName(targetUser));
        try
        {
            Daemon.DumpFile.WriteAtomically(path, unit);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"pmx: cannot write {path}: permission denied. Run 'sudo {pmxPath} startup systemd --install' (the unit runs as you, with PMX_HOME={pmxHome})");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException)
        {
            Console.Error.WriteLine($"pmx: cannot write {path}: {e.Message}");
            return ExitCodes.Failure;
        }
        Console.Out.WriteLine($"wrote {path}; enable it with: systemctl daemon-reload && systemctl enable --now {SystemdUnit.UnitName(targetUser)}");
        return ExitCodes.Ok;
    }

    /// <summary>`pmx unstartup`: removes the logon entry on Windows; on Linux, says how to remove the unit (pmx runs no systemctl).</summary>
    public static int Unstartup()
    {
        if (OperatingSystem.IsWindows()) return WindowsStartup.Unstartup();
        if (!OperatingSystem.IsLinux()) return Unsupported();
        if (Target(null, null) is not (string targetUser, _)) return ExitCodes.Usage;
        var unit = SystemdUnit.UnitName(targetUser);
        var path = Path.Combine("/etc/systemd/system", unit);
        if (!File.Exists(path))
        {
            Console.Out.WriteLine($"nothing to remove: {path} does not exist");
            return ExitCodes.Ok;
        }
        Console.Out.WriteLine($"to stop pmx starting at boot (the running apps are untouched), run as root:");
        Console.Out.WriteLine($"  systemctl disable {unit} && rm {path} && systemctl daemon-reload");
        return ExitCodes.Ok;
    }

    static int Unsupported()
    {
        Console.Error.WriteLine("pmx: startup writes a systemd unit on Linux or a logon entry on Windows; this system has neither");
        return ExitCodes.Usage;
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    static (string User, string PmxHome)? Target(string? user, string? home)
    {
        var request = new StartupRequest(user, home, Interop.Interop.geteuid(), Environment.GetEnvironmentVariable("SUDO_USER"),
            Environment.GetEnvironmentVariable("PMX_HOME"), DaemonConnection.Home.Root);
        var target = StartupTarget.Resolve(request, PasswdFile.Read(), out var error);
        if (target is null) Console.Error.WriteLine($"pmx: {error}");
        return target;
    }

    /// <summary>
    /// A unit running as root executes pmx and the dump in PMX_HOME as root at every boot; if
    /// another user can change either, that user gets root. Say which one and what to do.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    static string? TrustProblem(string pmxHome, string pmxPath)
    {
        if (RootOnlyPath.WhyNot(pmxHome) is { } home)
            return $"it would resurrect the dump in PMX_HOME={pmxHome}, and {home}. Use a PMX_HOME only root can change (the default /root/.pmx), or run the apps as their user: pmx startup systemd -u USER";
        if (RootOnlyPath.WhyNot(pmxPath) is { } binary)
            return $"it would execute {pmxPath}, and {binary}. Install pmx where only root can change it (such as /usr/local/bin)";
        return null;
    }
}
