namespace Pmx.Cli;

/// <summary>
/// The systemd unit `pmx startup` prints: it resurrects the saved apps at boot in foreground mode,
/// which tells systemd READY=1 once every app is online (Type=notify), stops them gracefully on
/// SIGTERM, and lets `systemctl reload` do a zero-downtime `pmx reload all`.
/// </summary>
internal static class SystemdUnit
{
    public static string Render(string pmxPath, string pmxHome, string user, string group)
    {
        return $"""
            [Unit]
            Description=pmx process manager ({user})
            After=network-online.target
            Wants=network-online.target

            [Service]
            Type=notify
            NotifyAccess=main
            User={user}
            Group={group}
            Environment=PMX_HOME={pmxHome}
            ExecStart={pmxPath} resurrect --no-daemon
            ExecReload={pmxPath} reload all
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
}
