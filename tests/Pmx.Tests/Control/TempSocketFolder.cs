namespace Pmx.Tests.Control;

/// <summary>
/// A fresh 0700 folder for one test's control socket. Kept short (under /tmp) because a Unix
/// socket path may not exceed 107 bytes.
/// </summary>
internal sealed class TempSocketFolder : IDisposable
{
    public TempSocketFolder()
    {
        Root = Directory.CreateTempSubdirectory("pmxc-").FullName;
        new PmxHome(Root).EnsureExists();
    }

    public string Root { get; }
    public string SocketPath => new PmxHome(Root).SocketPath;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
