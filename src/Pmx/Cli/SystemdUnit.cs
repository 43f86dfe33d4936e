using System.Text;

namespace Pmx.Cli;

/// <summary>
/// The systemd unit `pmx startup` prints: it resurrects the saved apps at boot in foreground mode,
/// which tells systemd READY=1 once every app is online (Type=notify), stops them gracefully on
/// SIGTERM, and lets `systemctl reload` do a zero-downtime `pmx reload all`.
/// Every value is escaped per systemd.syntax(7) and systemd.service(5); one that no escape can
/// carry (a newline would start a new directive) is refused by <see cref="Unsafe"/> before rendering.
/// </summary>
internal static class SystemdUnit
{
    public static string Render(string pmxPath, string pmxHome, string user)
    {
        if ((Unsafe(pmxPath) ?? Unsafe(pmxHome) ?? Unsafe(user)) is { } problem)
            throw new ArgumentException($"pmx internal error: an unchecked value reached the unit: {problem}");
        var pmx = CommandWord(pmxPath);
        return $"""
            [Unit]
            Description=pmx process manager ({Specifiers(user)})
            After=network-online.target
            Wants=network-online.target

            [Service]
            Type=notify
            NotifyAccess=main
            User={Specifiers(user)}
            Environment={EnvironmentAssignment("PMX_HOME", pmxHome)}
            ExecStart={pmx} resurrect --no-daemon
            ExecReload={pmx} reload all
            # pmx stops each app gracefully (kill_signal, then SIGKILL after kill_timeout); systemd
            # signals only pmx itself and waits, then cleans up whatever is left.
            KillMode=mixed
            TimeoutStartSec=120
            TimeoutStopSec=120
            Restart=on-failure
            RestartSec=2
            LimitNOFILE=65536

            [Install]
            WantedBy=multi-user.target

            """;
    }

    public static string UnitName(string user) => $"pmx-{user}.service";

    /// <summary>Why <paramref name="value"/> cannot go into a unit file, or null when it can.</summary>
    public static string? Unsafe(string value)
    {
        foreach (var c in value)
            if (char.IsControl(c))
                return $"\"{StartupTarget.Escaped(value)}\" contains a control character (U+{(int)c:X4}); a unit file cannot hold it, and a newline would start a new directive";
        return null;
    }

    /// <summary>'%' starts a specifier (%h, %u, …) in nearly every setting; '%%' is a literal '%'.</summary>
    static string Specifiers(string value) => value.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>
    /// A word of ExecStart=: bare when it holds nothing special, else double-quoted with C-style
    /// escapes for '\' and '"', '$$' for '$' (systemd expands $VAR there) and '%%' for '%'.
    /// </summary>
    static string CommandWord(string value) =>
        IsPlain(value) ? value : Quoted(value.Replace("$", "$$", StringComparison.Ordinal));

    /// <summary>Environment=NAME=value; quoted (the whole assignment) when the value needs it. No $ expansion there.</summary>
    static string EnvironmentAssignment(string name, string value) =>
        IsPlain(value) ? $"{name}={value}" : Quoted($"{name}={value}");

    static string Quoted(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
            quoted.Append(c switch { '\\' => "\\\\", '"' => "\\\"", '%' => "%%", _ => c.ToString() });
        return quoted.Append('"').ToString();
    }

    static bool IsPlain(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ',' or ':' or '@' or '=');
}
