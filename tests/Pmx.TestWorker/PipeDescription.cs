using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Security.AccessControl;
using Microsoft.Win32.SafeHandles;
using System.Security.Principal;

namespace Pmx.TestWorker;

/// <summary>
/// <c>--describe-pipe</c>: who may open a named pipe pmx created, as Windows (or Wine) stores it.
/// The worker connects as a client, reads the pipe's security descriptor (owner and DACL) and prints
/// one line per fact, so a test can assert that only the current user is granted anything:
/// <code>
/// testworker pid=N pipe NAME user=SID
/// testworker pid=N pipe NAME token-owner=SID
/// testworker pid=N pipe NAME owner=SID
/// testworker pid=N pipe NAME ace=Allow SID rights=FullControl
/// testworker pid=N pipe NAME sddl=O:...D:...
/// </code>
/// A failure is one line <c>pipe NAME error=...</c>, never an exception: what the OS said is the finding.
/// </summary>
[SupportedOSPlatform("windows")]
static class PipeDescription
{
    static readonly TimeSpan ConnectWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <paramref name="name"/> is a bare pipe name, env:VAR for the name in variable VAR (PMX_HANDOFF_PIPE),
    /// or node-channel for the pipe we inherited as the CRT fd in NODE_CHANNEL_FD (its only instance is ours).
    /// </summary>
    public static void Print(string name, Output output)
    {
        if (name == "node-channel")
        {
            PrintNodeChannel(output);
            return;
        }
        if (name.StartsWith("env:", StringComparison.Ordinal))
        {
            var variable = name[4..];
            name = Environment.GetEnvironmentVariable(variable) ?? "";
            if (name.Length == 0)
            {
                output.Line($"pipe {variable} error=the variable is not set");
                return;
            }
        }
        // Kept open while the worker lives: a hand-off pipe admits one client, and pmx sees this one connect.
        var pipe = new NamedPipeClientStream(".", name, PipeDirection.InOut);
        try
        {
            pipe.Connect(ConnectWait);
            Print(name, pipe.GetAccessControl(), output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or InvalidOperationException or PlatformNotSupportedException)
        {
            output.Line($"pipe {name} error={e.GetType().Name}: {e.Message} (HRESULT 0x{e.HResult:x8})");
            pipe.Dispose();
        }
    }

    static void PrintNodeChannel(Output output)
    {
        const string name = "node-channel";
        var handle = int.TryParse(Environment.GetEnvironmentVariable("NODE_CHANNEL_FD"), out var fd) ? Interop.GetOsHandle(fd) : -1;
        if (handle is -1 or 0)
        {
            output.Line($"pipe {name} error=NODE_CHANNEL_FD is not an open CRT fd");
            return;
        }
        // Not owned (the handle stays the CRT's, open while we live), and not bound to the thread pool: it is only read for its ACL.
        var pipe = new NamedPipeClientStream(PipeDirection.InOut, isAsync: false, isConnected: true, new SafePipeHandle(handle, ownsHandle: false));
        try
        {
            Print(name, pipe.GetAccessControl(), output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException)
        {
            output.Line($"pipe {name} error={e.GetType().Name}: {e.Message} (HRESULT 0x{e.HResult:x8})");
        }
    }

    static void Print(string name, PipeSecurity security, Output output)
    {
        using var identity = WindowsIdentity.GetCurrent();
        output.Line($"pipe {name} user={identity.User?.Value ?? "(none)"}");
        // The token's default owner: what .NET's PipeOptions.CurrentUserOnly grants and checks (not always the user SID).
        output.Line($"pipe {name} token-owner={identity.Owner?.Value ?? "(none)"}");
        output.Line($"pipe {name} owner={security.GetOwner(typeof(SecurityIdentifier))?.Value ?? "(none)"}");
        foreach (PipeAccessRule rule in security.GetAccessRules(includeExplicit: true, includeInherited: true, typeof(SecurityIdentifier)))
            output.Line($"pipe {name} ace={rule.AccessControlType} {rule.IdentityReference.Value} rights={rule.PipeAccessRights}");
        output.Line($"pipe {name} sddl={security.GetSecurityDescriptorSddlForm(AccessControlSections.Owner | AccessControlSections.Group | AccessControlSections.Access)}");
    }
}
