using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Security.Principal;

namespace Pmx.TestWorker;

/// <summary>
/// <c>--squat-pipe</c>: creates pipe NAME first, owned by the token's default owner (what .NET's
/// CurrentUserOnly gives a pipe), and holds it while the worker lives. Under Wine 8 that owner is
/// a group, not the user: the closest thing to another user's pipe that one-user Wine allows, so a
/// test can check that pmx refuses to talk to it. Prints
/// <c>testworker pid=N squatting pipe NAME owner=SID user=SID</c> once the pipe exists.
/// </summary>
[SupportedOSPlatform("windows")]
static class PipeSquatter
{
    /// <summary>Held here so the collector never closes the squatted pipe.</summary>
    static NamedPipeServerStream? s_pipe;

    public static void Start(string name, Output output)
    {
        var pipe = s_pipe = new NamedPipeServerStream(name, PipeDirection.InOut, 1, PipeTransmissionMode.Byte,
            PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly | PipeOptions.FirstPipeInstance);
        using var identity = WindowsIdentity.GetCurrent();
        output.Line($"squatting pipe {name} owner={identity.Owner?.Value} user={identity.User?.Value}");
        // Accepts a client and says nothing: a squatter never answers the protocol.
        _ = pipe.WaitForConnectionAsync();
    }
}
