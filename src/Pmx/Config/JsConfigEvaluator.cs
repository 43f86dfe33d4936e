using System.ComponentModel;
using System.Diagnostics;

namespace Pmx.Config;

/// <summary>
/// Evaluates a PM2 ecosystem.config.js (.cjs, .mjs) the way PM2 does: with the user's own node,
/// in the file's folder, with the caller's environment (configs read process.env). node prints the
/// exported object as JSON; pmx never runs the file as an app.
/// </summary>
internal static class JsConfigEvaluator
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    /// <summary>Precedes the JSON, so whatever the config itself prints (console.log) is not taken for it.</summary>
    const string Marker = "@@pmx-config@@";

    // require() for CommonJS, import() for ES modules (.mjs, or "type": "module" in package.json).
    const string Printer = """
        const file = require('path').resolve(process.argv[1]);
        const marker = process.argv[2];
        const print = (exported) => {
          const config = exported && exported.__esModule && exported.default !== undefined ? exported.default : exported;
          process.stdout.write('\n' + marker + JSON.stringify(config === undefined ? null : config));
        };
        const fail = (e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); };
        const viaImport = () => import(require('url').pathToFileURL(file).href).then((m) => print(m.default !== undefined ? m.default : m), fail);
        if (file.endsWith('.mjs')) viaImport();
        else {
          try { print(require(file)); }
          catch (e) { if (e && e.code === 'ERR_REQUIRE_ESM') viaImport(); else fail(e); }
        }
        """;

    /// <summary>The exported config as JSON text, or a sentence saying why there is none.</summary>
    public static (string? Json, string? Error) Evaluate(string path)
    {
        var full = Path.GetFullPath(path);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(full) ?? "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(Printer);
        start.ArgumentList.Add(full);
        start.ArgumentList.Add(Marker);
        // The preload belongs to workers; a config evaluated from inside one must not use it.
        start.Environment.Remove("NODE_CHANNEL_FD");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("node did not start");
        }
        catch (Win32Exception)
        {
            return (null, $"{path} is JavaScript, which pmx evaluates with node as PM2 does, but 'node' is not on PATH; install Node.js, or write the config as ecosystem.toml (pmx import converts one where node is available)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"node did not finish evaluating {path} within {Timeout.TotalSeconds:0} s (does the file start a server or wait for input? a config file should only export its apps)");
            }
            process.WaitForExit();
            // Success is judged by the output, not only the exit code: in the daemon (a reload
            // re-reads the file) pmx's own reaper may collect node first, and then the code is lost.
            var at = stdout.Result.LastIndexOf(Marker, StringComparison.Ordinal);
            if (at < 0)
            {
                var lines = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return (null, $"node could not evaluate {path} (exit {process.ExitCode}): {string.Join(" | ", lines.Take(4))}");
            }
            return (stdout.Result[(at + Marker.Length)..], null);
        }
    }
}
