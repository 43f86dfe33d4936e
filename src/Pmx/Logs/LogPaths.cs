using Pmx.Config;

namespace Pmx.Logs;

/// <summary>
/// Where one worker's output goes (DESIGN §8). Defaults: `PMX_HOME/logs/&lt;name&gt;-&lt;instance&gt;-out.log`
/// and `-err.log`; with merge_logs, `&lt;name&gt;-out.log` / `&lt;name&gt;-err.log` shared by every instance.
/// An app's out_file / error_file (already absolute in <see cref="AppSpec"/>) is used as given by
/// every instance: the single log writer keeps their lines whole, and a user who names one file
/// expects one file.
/// </summary>
internal sealed record LogPaths(string Out, string Err)
{
    public const string OutSuffix = "-out.log";
    public const string ErrSuffix = "-err.log";

    public static LogPaths For(AppSpec app, int instance, PmxHome home)
    {
        var stem = app.MergeLogs ? app.Name : $"{app.Name}-{instance}";
        return new LogPaths(
            app.OutFile ?? Path.Combine(home.LogsDirectory, stem + OutSuffix),
            app.ErrorFile ?? Path.Combine(home.LogsDirectory, stem + ErrSuffix));
    }
}
