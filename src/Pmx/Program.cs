using ConsoleAppFramework;
using Pmx;
using Pmx.Cli;

// The hidden verbs run before the CLI framework: `__exec` sits between posix_spawn and the app's
// execve in every worker, so it must stay as small and fast as possible.
if (OperatingSystem.IsLinux() && args.Length > 0 && args[0] == Pmx.Processes.ExecShim.Verb)
    return Pmx.Processes.ExecShim.Run(args.AsSpan(1));

if (OperatingSystem.IsLinux() && args.Length > 0 && args[0] == Pmx.Keeper.KeeperProcess.Verb)
    return Pmx.Keeper.KeeperProcess.Run(args.AsSpan(1));

// Before the runtime first touches signals: with SIGCHLD inherited ignored, the kernel reaps every
// child itself, so node evaluating a JavaScript config (and, in `up --no-daemon`, every worker)
// would vanish without an exit status.
if (OperatingSystem.IsLinux())
    Pmx.Processes.ProcessSetup.ResetSigchldToDefault();

if (args is [Pmx.Daemon.Handover.ProtocolVerb])
{
    Console.Out.WriteLine(Pmx.Daemon.Handover.ProtocolVersion);
    return 0;
}

if (args.Length == 1 && args[0] == "daemon")
    return Pmx.Daemon.DaemonHost.RunDetached();

// PM2's `start` options do not fit one method signature; the CLI framework only shows its help.
if (args.Length > 0 && args[0] == "start" && !args.TakeWhile(a => a != "--").Any(a => a is "-h" or "--help"))
    return StartCommand.Run(args[1..]);

if (FastCommands.TryRun(args) is { } exitCode)
    return exitCode;

ConsoleApp.Version = BuildInfo.Version;
var app = ConsoleApp.Create();
app.Add<Commands>();
app.Run(args);
return Environment.ExitCode;
