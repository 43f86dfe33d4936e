using System.Runtime.Versioning;
using Microsoft.Win32;

namespace Pmx.Cli;

/// <summary>`pmx startup` and `pmx unstartup` on Windows: the current user's logon entry (<see cref="LogonEntry"/>).</summary>
[SupportedOSPlatform("windows")]
internal static class WindowsStartup
{
    public static int Startup(string? system, bool install, string? user, string? home)
    {
        if (system is not null && !string.Equals(system, "windows", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine($"pmx: on Windows, startup adds a logon entry ('pmx startup' or 'pmx startup windows'), not '{StartupTarget.Escaped(system)}'");
            return ExitCodes.Usage;
        }
        if (user is not null || home is not null)
        {
            Console.Error.WriteLine("pmx: on Windows, startup sets pmx up for the current user only (-u and --hp are for systemd); run it as that user");
            return ExitCodes.Usage;
        }
        var (name, command) = Entry(out var problem);
        if (command is null)
        {
            Console.Error.WriteLine($"pmx: cannot write a logon entry: {problem}. Use a folder name without it");
            return ExitCodes.Usage;
        }
        if (!install)
        {
            Console.Out.WriteLine($"HKCU\\{LogonEntry.RunKey}\\{name} = {command}");
            Console.Error.WriteLine("pmx: to install it: pmx startup --install, then 'pmx save' whenever your app list changes");
            return ExitCodes.Ok;
        }
        try
        {
            using var run = Registry.CurrentUser.CreateSubKey(LogonEntry.RunKey, writable: true);
            run.SetValue(name, command, RegistryValueKind.String);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or System.Security.SecurityException)
        {
            Console.Error.WriteLine($"pmx: cannot write HKCU\\{LogonEntry.RunKey}\\{name}: {e.Message}");
            return ExitCodes.Failure;
        }
        Console.Out.WriteLine($"wrote HKCU\\{LogonEntry.RunKey}\\{name}: at logon Windows runs {command}");
        Console.Out.WriteLine("run 'pmx save' whenever your app list changes; 'pmx unstartup' removes the entry");
        return ExitCodes.Ok;
    }

    public static int Unstartup()
    {
        var (name, _) = Entry(out _);
        try
        {
            using var run = Registry.CurrentUser.OpenSubKey(LogonEntry.RunKey, writable: true);
            if (run?.GetValue(name) is null)
            {
                Console.Out.WriteLine($"nothing to remove: HKCU\\{LogonEntry.RunKey} has no '{name}' entry");
                return ExitCodes.Ok;
            }
            run.DeleteValue(name, throwOnMissingValue: false);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or System.Security.SecurityException)
        {
            Console.Error.WriteLine($"pmx: cannot remove HKCU\\{LogonEntry.RunKey}\\{name}: {e.Message}");
            return ExitCodes.Failure;
        }
        Console.Out.WriteLine($"removed HKCU\\{LogonEntry.RunKey}\\{name}: pmx no longer starts at logon (the running apps are untouched)");
        return ExitCodes.Ok;
    }

    static (string Name, string? Command) Entry(out string? problem)
    {
        var pmxHome = DaemonConnection.Home.Root;
        var defaultHome = PmxHome.DefaultRoot;
        var pmxPath = Environment.ProcessPath ?? "pmx.exe";
        return (LogonEntry.Name(pmxHome, defaultHome), LogonEntry.Command(pmxPath, pmxHome, defaultHome, out problem));
    }
}
