using System.Diagnostics;
using Pmx.Cli;

namespace Pmx.Tests.Cli;

/// <summary>What a root unit may trust: paths only root can change. Real folders, real owners (needs root to chown).</summary>
public class RootOnlyPathTests
{
    static bool IsRoot => Interop.Interop.geteuid() == 0;

    static void Chown(string path, string owner)
    {
        using var chown = Process.Start("chown", [owner, path])!;
        chown.WaitForExit();
        if (chown.ExitCode != 0) throw new InvalidOperationException($"chown {owner} {path} failed");
    }

    static async Task InTempFolder(Func<string, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("pmx-rootonly-");
        try { await test(folder.FullName); }
        finally { folder.Delete(recursive: true); }
    }

    [Test]
    public Task ARootOwnedFolderInsideStickyTmpIsTrusted() => InTempFolder(async folder =>
    {
        if (!IsRoot) return;
        await Assert.That(RootOnlyPath.WhyNot(folder)).IsNull();
        await Assert.That(RootOnlyPath.WhyNot(Path.Combine(folder, "not-yet", "dump.toml"))).IsNull();
    });

    [Test]
    public Task AFolderOthersCanWriteIsNotTrusted() => InTempFolder(async folder =>
    {
        if (!IsRoot) return;
        var open = Directory.CreateDirectory(Path.Combine(folder, "open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);
        await Assert.That(RootOnlyPath.WhyNot(Path.Combine(open, ".pmx"))).IsEqualTo($"{open} is writable by users other than root (mode 777)");
    });

    [Test]
    public Task ARootOwnedFolderInsideAnotherUsersFolderIsNotTrusted() => InTempFolder(async folder =>
    {
        if (!IsRoot) return;
        var users = Directory.CreateDirectory(Path.Combine(folder, "home-of-nobody")).FullName;
        var pmxHome = Directory.CreateDirectory(Path.Combine(users, ".pmx")).FullName;
        Chown(users, "65534");
        await Assert.That(RootOnlyPath.WhyNot(pmxHome)).IsEqualTo($"{users} belongs to uid 65534, not root");
    });
}
