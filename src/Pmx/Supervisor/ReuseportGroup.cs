namespace Pmx.Supervisor;

/// <summary>
/// The per-instance sockets of an app (reuse_port = "per_instance") in the order the kernel keeps
/// its SO_REUSEPORT group, which is what a steering program's return value indexes.
/// </summary>
/// <remarks>
/// Constraints: a socket joins the group at the end when it starts listening; one that leaves
/// (its last descriptor closed) is replaced by the group's last member (net/core/sock_reuseport.c,
/// __reuseport_detach_sock). So after an errored slot's socket is closed and a new one opened for
/// its restart, slot order is no longer group order, and steering by slot index sends connections
/// to the wrong sockets (issue 11, defect 8).
/// Scheme: every per-instance socket is opened and closed through this list, which applies the
/// same two rules, and steering names sockets, which it turns into their group positions.
/// pmx closes a slot's socket only once its workers have exited, and stops it listening first, so it
/// leaves the group then even while the keeper still holds a copy.
/// </remarks>
internal sealed class ReuseportGroup
{
    readonly List<IListenSocket> _members = [];

    /// <summary>A socket that has just started listening.</summary>
    public void Joined(IListenSocket socket) => _members.Add(socket);

    /// <summary>Closes the socket; the kernel moves the last member into its place.</summary>
    public void Close(IListenSocket socket)
    {
        var position = _members.IndexOf(socket);
        if (position >= 0)
        {
            _members[position] = _members[^1];
            _members.RemoveAt(_members.Count - 1);
        }
        socket.StopListening();
        socket.Dispose();
    }

    public void CloseAll()
    {
        foreach (var socket in _members)
        {
            socket.StopListening();
            socket.Dispose();
        }
        _members.Clear();
    }

    /// <summary>New connections go only to <paramref name="targets"/> (those in the group; nothing changes if none is).</summary>
    /// <exception cref="ListenException">The kernel refused the steering program.</exception>
    public void SteerTo(IEnumerable<IListenSocket> targets)
    {
        var positions = targets.Select(t => _members.IndexOf(t)).Where(p => p >= 0).ToList();
        if (positions.Count > 0) _members[0].SteerTo(positions);
    }

    /// <summary>New connections go to every socket of the group.</summary>
    public void SpreadOverAll() => SteerTo(_members);
}
