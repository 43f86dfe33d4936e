using System.Text.RegularExpressions;

namespace Pmx.Cli;

/// <summary>What `pmx startup` was run as: the options, who is running it, and the environment.</summary>
internal sealed record StartupRequest(
    string? UserOption, string? HomeOption, uint EffectiveUid, string? SudoUser, string? PmxHomeVariable, string CurrentPmxHome);

/// <summary>
/// Whose apps the boot unit resurrects, and from which PMX_HOME.
/// Overview: the unit runs `pmx resurrect` of PMX_HOME/dump.toml as User=. That dump says what to
/// execute, so whoever can write it must be the user the unit runs as: under `sudo` the target is
/// the invoking user (SUDO_USER), never root, or a user could make root run anything at the next
/// boot. -u USER and --hp HOME (PM2's options) name the user and home explicitly.
/// </summary>
internal static partial class StartupTarget
{
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex UserNamePattern();

    /// <summary>The user and PMX_HOME for the unit, or the reason they cannot be told (a usage error).</summary>
    public static (string User, string PmxHome)? Resolve(StartupRequest request, PasswdFile passwd, out string? error)
    {
        error = null;
        var sudoUser = string.IsNullOrEmpty(request.SudoUser) || request.SudoUser == "root" ? null : request.SudoUser;
        var actingForOther = request.UserOption is not null || (request.EffectiveUid == 0 && sudoUser is not null);
        var user = request.UserOption ?? (request.EffectiveUid == 0 ? sudoUser : null) ?? passwd.ByUid(request.EffectiveUid)?.Name;
        if (user is null)
        {
            error = $"cannot tell which user you are: uid {request.EffectiveUid} is {passwd.WhyMissing}. Name the user and home: pmx startup systemd -u USER --hp HOME";
            return null;
        }
        if (!UserNamePattern().IsMatch(user))
        {
            error = $"'{Escaped(user)}' is not a user name a unit can hold (letters, digits, '_', '.', '-'; starting with a letter or '_')";
            return null;
        }
        if ((user == "root" || passwd.ByName(user)?.Uid == 0) && sudoUser is not null)
        {
            error = $"refusing to write a unit that runs as root from 'sudo' (SUDO_USER={sudoUser}): it would resurrect a dump {sudoUser} can change, as root. "
                + $"Run 'sudo pmx startup systemd -u {sudoUser}', or set it up from a root login for root's own apps";
            return null;
        }
        if (request.HomeOption is { } hp && !Path.IsPathRooted(hp))
        {
            error = $"--hp must be an absolute path (got '{Escaped(hp)}')";
            return null;
        }

        var pmxHome = !string.IsNullOrEmpty(request.PmxHomeVariable) ? Path.GetFullPath(request.PmxHomeVariable)
            : request.HomeOption is { } home ? Path.Combine(home, ".pmx")
            : !actingForOther ? request.CurrentPmxHome
            : passwd.ByName(user)?.Home is { Length: > 0 } userHome ? Path.Combine(userHome, ".pmx")
            : null;
        if (pmxHome is null)
        {
            error = $"cannot find the home folder of '{user}': {passwd.WhyMissing}. Pass it: pmx startup systemd -u {user} --hp HOME (or set PMX_HOME)";
            return null;
        }
        return (user, pmxHome);
    }

    /// <summary>Control characters shown as escapes, so a message never carries them to the terminal.</summary>
    internal static string Escaped(string value) => Config.ControlCharacters.Escape(value);
}
