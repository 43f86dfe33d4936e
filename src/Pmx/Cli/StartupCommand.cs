namespace Pmx.Cli;

/// <summary>`pmx startup [systemd] [--install]`: start pmx at boot with the apps of the last `pmx save`.</summary>
internal static class StartupCommand
{
    public static int Run(string system, bool install)
    {
        if (!string.Equals(system, "systemd", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"pmx: startup supports 'systemd' only for now, not '{system}'");
            return ExitCodes.Usage;
        }
        var user = Environment.UserName;
        var group = GroupOf(user);
        var unit = SystemdUnit.Render(Environment.ProcessPath!, DaemonConnection.Home.Root, user, group);
        if (!install)
        {
            Console.Out.Write(unit);
            Console.Error.WriteLine($"pmx: to install it: pmx startup systemd --install (as root), then 'pmx save' whenever your app list changes");
            return ExitCodes.Ok;
        }
        var path = Path.Combine("/etc/systemd/system", SystemdUnit.UnitName(user));
        try
        {
            Daemon.DumpFile.WriteAtomically(path, unit);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"pmx: cannot write {path}: permission denied. Run 'sudo {Environment.ProcessPath} startup systemd --install', keeping PMX_HOME={DaemonConnection.Home.Root}");
            return ExitCodes.Failure;
        }
        Console.Out.WriteLine($"wrote {path}; enable it with: systemctl daemon-reload && systemctl enable --now {SystemdUnit.UnitName(user)}");
        return ExitCodes.Ok;
    }

    static string GroupOf(string user)
    {
        // /etc/passwd gives the primary gid, /etc/group its name; fall back to the user's name.
        try
        {
            var gid = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 3 && f[0] == user)?[3];
            var name = gid is null ? null : File.ReadLines("/etc/group").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 2 && f[2] == gid)?[0];
            return name ?? user;
        }
        catch (IOException) { return user; }
    }
}
