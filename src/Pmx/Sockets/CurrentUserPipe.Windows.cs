using System.IO.Pipes;
using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;

namespace Pmx.Sockets;

/// <summary>
/// Named pipes that only the current user may open, and a client check that a pipe is the user's.
/// </summary>
/// <remarks>
/// Overview: <see cref="PipeOptions.CurrentUserOnly"/> grants (and checks) the token's default
/// owner, which is not always the user: BUILTIN\Administrators for an elevated token, and under
/// Wine 8 the group S-1-5-21-0-0-0-513 (measured: PipeSecurityTests). A pipe granted to a group
/// admits every member. So pmx writes the descriptor itself: owner and the one ACE are the token's
/// user SID. A client then checks the owner against the same SID, as CurrentUserOnly's client
/// check would against the default owner: a squatter's pipe is owned by someone else.
/// </remarks>
[SupportedOSPlatform("windows")]
internal static class CurrentUserPipe
{
    static readonly SecurityIdentifier User = CurrentUser();

    /// <summary>A server instance whose descriptor names the current user alone (owner and sole ACE).</summary>
    public static NamedPipeServerStream Create(string name, int maxInstances, PipeOptions options, int bufferBytes = 0)
    {
        var security = new PipeSecurity();
        security.SetOwner(User);
        security.AddAccessRule(new PipeAccessRule(User, PipeAccessRights.FullControl, AccessControlType.Allow));
        return NamedPipeServerStreamAcl.Create(name, PipeDirection.InOut, maxInstances, PipeTransmissionMode.Byte, options,
            bufferBytes, bufferBytes, security);
    }

    /// <summary>Checks a connected client's pipe.</summary>
    /// <exception cref="UnauthorizedAccessException">The pipe's owner is not the current user.</exception>
    public static void VerifyOwner(PipeStream connected)
    {
        var owner = connected.GetAccessControl().GetOwner(typeof(SecurityIdentifier));
        if (!User.Equals(owner))
            throw new UnauthorizedAccessException($"the pipe belongs to {owner?.Value ?? "no one"}, not to the current user {User.Value}");
    }

    static SecurityIdentifier CurrentUser()
    {
        using var identity = WindowsIdentity.GetCurrent();
        return identity.User ?? throw new InvalidOperationException("pmx: the process token names no user");
    }
}
