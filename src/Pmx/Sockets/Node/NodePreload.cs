using Pmx.Config;

namespace Pmx.Sockets.Node;

/// <summary>
/// The script pmx preloads into Node workers (preload.js, embedded in the binary): it turns a TCP
/// listen(port, host) into a listen on the socket pmx owns for that app, host and port (DESIGN §11).
/// </summary>
internal static class NodePreload
{
    const string ResourceName = "Pmx.Sockets.Node.preload.js";
    public const string NodeOptions = "NODE_OPTIONS";

    /// <summary>
    /// Writes the script to PMX_HOME/node/preload-&lt;hash&gt;.js and returns its path. The name
    /// carries the content's hash, so a worker started by an older daemon keeps the file it was
    /// given; the write is atomic (temp file, rename) so no worker ever reads half a script.
    /// </summary>
    public static string Install(PmxHome home)
    {
        var script = Script();
        var hash = ContentHash(script).ToString("x16");
        var folder = Path.Combine(home.Root, "node");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"preload-{hash}.js");
        if (File.Exists(path)) return path;
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(temp, script);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// FNV-1a over the script: a name per content, not a secret. Not SHA256: System.Security.Cryptography
    /// loads OpenSSL, and a shared glibc mapped into the static pmx corrupts its heap.
    /// </summary>
    static ulong ContentHash(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    public static byte[] Script()
    {
        using var stream = typeof(NodePreload).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"pmx internal error: resource {ResourceName} is missing from the binary");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Appends --require to the worker's NODE_OPTIONS, keeping what the user set. Every worker of
    /// an app with node_preload on gets it, not only `node app.js`: a shell script or npm that
    /// starts node passes the variable (and the IPC channel) on. Outside pmx's channel the script
    /// does nothing.
    /// </summary>
    public static void AddTo(IDictionary<string, string> environment, AppSpec spec, string preloadPath)
    {
        if (!spec.NodePreload) return;
        var require = $"--require \"{preloadPath.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
        environment[NodeOptions] = environment.TryGetValue(NodeOptions, out var existing) && existing.Trim().Length > 0
            ? existing + " " + require
            : require;
    }

    /// <summary>
    /// Whether the app runs node, so its TCP listens go through the preload. What the supervisor's
    /// ReloadsInPlace asks for a fork-mode app: with the preload its socket is pmx's, so starting the
    /// new worker before stopping the old one is safe.
    /// </summary>
    public static bool Covers(AppSpec spec)
    {
        if (!spec.NodePreload) return false;
        var program = spec.Interpreter ?? spec.Script;
        // Windows names the program node.exe (any case) in a config written for it.
        var name = Path.GetFileName(program);
        if (name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)) name = name[..^4].ToLowerInvariant();
        return name is "node" or "nodejs" || (spec.Interpreter is null && ScriptResolution.InferInterpreter(spec.Script) == "node");
    }
}
