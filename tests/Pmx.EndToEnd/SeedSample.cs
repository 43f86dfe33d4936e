namespace Pmx.EndToEnd;

/// <summary>
/// A copy of samples/node-express (the seed's app.js and ecosystem.config.js) in a test's own
/// folder, run on a free port through PORT: the files stay as a PM2 user has them.
/// </summary>
public sealed class SeedSample : IAsyncDisposable
{
    static string Source => Path.Combine(PmxBinary.RepoRoot, "samples", "node-express");

    SeedSample(PmxSandbox sandbox, int port)
    {
        Sandbox = sandbox;
        Port = port;
    }

    public PmxSandbox Sandbox { get; }
    public int Port { get; }
    public string Folder => Sandbox.WorkDir;

    public static SeedSample Create()
    {
        if (!Directory.Exists(Path.Combine(Source, "node_modules", "express")))
            throw new InvalidOperationException($"{Source}/node_modules is missing: run ./build.sh test (it runs npm ci there)");
        var sample = new SeedSample(new PmxSandbox(), PmxSandbox.FreePort());
        foreach (var file in (string[])["app.js", "ecosystem.config.js", "package.json"])
            File.Copy(Path.Combine(Source, file), Path.Combine(sample.Folder, file));
        Directory.CreateSymbolicLink(Path.Combine(sample.Folder, "node_modules"), Path.Combine(Source, "node_modules"));
        return sample;
    }

    /// <summary>The same app under another name, as the seed's user would copy it (solo.js, trio.js).</summary>
    public string CopyApp(string fileName)
    {
        File.Copy(Path.Combine(Folder, "app.js"), Path.Combine(Folder, fileName));
        return fileName;
    }

    public string Write(string fileName, string text)
    {
        File.WriteAllText(Path.Combine(Folder, fileName), text);
        return fileName;
    }

    /// <summary>pmx as the user runs it in the sample's folder, with PORT choosing the app's port.</summary>
    public Task<RunResult> Pmx(CancellationToken ct, params string[] args) => Pmx(Port, ct, args);

    public Task<RunResult> Pmx(int port, CancellationToken ct, params string[] args)
    {
        var env = Sandbox.Env;
        env["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["DRAIN_MS"] = "300";
        return PmxRun.Run(args, ct, env, Folder);
    }

    public async Task<RunResult> PmxOk(CancellationToken ct, params string[] args)
    {
        var result = await Pmx(ct, args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"pmx {string.Join(' ', args)} exited {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        return result;
    }

    public async Task<List<ListedInstance>> Online(string app, int count, CancellationToken ct)
    {
        List<ListedInstance> rows = [];
        await Poll.Until(async () =>
        {
            rows = (await Sandbox.List(ct)).Where(r => r.Name == app).ToList();
            return rows.Count == count && rows.All(r => r.Status == "online");
        }, TimeSpan.FromSeconds(30), $"{count} online instances of {app}", ct);
        return rows;
    }

    /// <summary>Without wait_ready "online" comes before the app has listened; load starts once it answers.</summary>
    public Task Answering(int port, CancellationToken ct) => Poll.Until(async () =>
    {
        try { return (await LoadClient.Get(port)).Status == 200; }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException) { return false; }
    }, TimeSpan.FromSeconds(30), $"an answer on port {port}", ct);

    public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
}
