using Pmx.Config;
using Pmx.Supervisor;

namespace Pmx.Tests.Supervisor;

public class WorkerCommandLineTests
{
    static readonly AppSpec App = new() { Name = "web", Script = "/srv/app/server.js", Cwd = "/srv/app" };

    [Test]
    public async Task ArgvIsTheInterpreterItsArgsTheScriptThenTheAppsArgsInThatOrder()
    {
        var spec = App with { Interpreter = "/usr/bin/node", InterpreterArgs = ["--max-old-space-size=512", "--trace-warnings"], Args = ["--port", "8080", "two words"] };
        await Assert.That(WorkerCommandLine.Argv(spec)).IsEquivalentTo(
            ["/usr/bin/node", "--max-old-space-size=512", "--trace-warnings", "/srv/app/server.js", "--port", "8080", "two words"],
            CollectionOrdering.Matching);
    }

    [Test]
    public async Task WithoutAnInterpreterTheScriptIsArgvZero()
    {
        var spec = App with { Script = "/srv/app/server", Args = ["b", "a"] };
        await Assert.That(WorkerCommandLine.Argv(spec)).IsEquivalentTo(["/srv/app/server", "b", "a"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task TheAppsEnvOverridesTheCliEnvironmentAndPmxsOwnVariablesOverrideBoth()
    {
        var spec = App with { Env = new Dictionary<string, string> { ["NODE_ENV"] = "production", ["PMX_INSTANCE"] = "99" }, Port = 8080 };
        var env = WorkerCommandLine.Environment(spec, instance: 2,
            new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["NODE_ENV"] = "development", ["PMX_INSTANCE"] = "7" }, notifySocket: "/run/pmx/n2");

        await Assert.That(env["PATH"]).IsEqualTo("/usr/bin");
        await Assert.That(env["NODE_ENV"]).IsEqualTo("production");
        await Assert.That(env["PMX_APP"]).IsEqualTo("web");
        await Assert.That(env["PMX_INSTANCE"]).IsEqualTo("2");
        await Assert.That(env["NODE_APP_INSTANCE"]).IsEqualTo("2");
        await Assert.That(env["PORT"]).IsEqualTo("8080");
        await Assert.That(env["NOTIFY_SOCKET"]).IsEqualTo("/run/pmx/n2");
    }

    [Test]
    public async Task SupervisionVariablesInheritedFromTheCliNeverReachTheWorker()
    {
        var inherited = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = "/run/systemd/notify", ["LISTEN_FDS"] = "1", ["LISTEN_PID"] = "1", ["LISTEN_FDNAMES"] = "x",
            ["SYSTEMD_EXEC_PID"] = "1", ["NODE_CHANNEL_FD"] = "4", ["NODE_CHANNEL_SERIALIZATION_MODE"] = "json",
            ["WATCHDOG_USEC"] = "1000", ["WATCHDOG_PID"] = "1", ["HOME"] = "/root",
        };
        var env = WorkerCommandLine.Environment(App, instance: 0, inherited, notifySocket: null);
        await Assert.That(env.Keys.Order(StringComparer.Ordinal)).IsEquivalentTo(["HOME", "NODE_APP_INSTANCE", "PMX_APP", "PMX_INSTANCE"], CollectionOrdering.Matching);
    }

    [Test]
    public async Task AnAppThatSetsPortItselfKeepsItsValue()
    {
        var spec = App with { Port = 8080, Env = new Dictionary<string, string> { ["PORT"] = "3000" } };
        var env = WorkerCommandLine.Environment(spec, 0, new Dictionary<string, string>(), null);
        await Assert.That(env["PORT"]).IsEqualTo("3000");
    }

    [Test]
    public async Task AnEmptyInstanceVarSetsNoExtraVariable()
    {
        var env = WorkerCommandLine.Environment(App with { InstanceVar = "" }, 1, new Dictionary<string, string>(), null);
        await Assert.That(env.ContainsKey("NODE_APP_INSTANCE")).IsFalse();
        await Assert.That(env["PMX_INSTANCE"]).IsEqualTo("1");
    }
}
