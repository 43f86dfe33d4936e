using Pmx.Config;
using Pmx.Sockets.Node;

namespace Pmx.Tests.Sockets;

/// <summary>Which apps get pmx's Node preload (and so the Node route to the shared socket).</summary>
public class NodePreloadCoverageTests
{
    static AppSpec App(string script, string? interpreter = null) =>
        new() { Name = "app", Script = script, Interpreter = interpreter, Cwd = "/srv/app" };

    [Test]
    [Arguments("/srv/app/server.js", null)]
    [Arguments("/srv/app/server", "node")]
    [Arguments("/srv/app/server", "/usr/bin/nodejs")]
    [Arguments("/srv/app/server.js", "node.exe")]
    [Arguments("/srv/app/server.js", "NODE.EXE")]
    [Arguments("node.exe", null)]
    public async Task NodeByNameOrByTheScriptsExtensionIsCovered(string script, string? interpreter) =>
        await Assert.That(NodePreload.Covers(App(script, interpreter))).IsTrue();

    [Test]
    [Arguments("/srv/app/server.py", null)]
    [Arguments("/srv/app/server.js", "bun")]
    [Arguments("/srv/app/node.exe.sh", null)]
    [Arguments("/srv/app/dotnet-web.exe", null)]
    public async Task OtherProgramsAreNot(string script, string? interpreter) =>
        await Assert.That(NodePreload.Covers(App(script, interpreter))).IsFalse();
}
