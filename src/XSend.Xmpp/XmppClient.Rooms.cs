using XSend.Xmpp.Errors;

namespace XSend.Xmpp;

// The public face of Session/Rooms: multi-user chat (XEP-0045).
public sealed partial class XmppClient
{
    /// <summary>
    /// Joins a room and waits until the room confirms it with our own presence (status 110), so
    /// a join is never just assumed. A nickname in use is retried once with a random suffix.
    /// A room that did not exist (our join created it, status 201) is left again and reported.
    /// </summary>
    /// <param name="room">The room's bare JID.</param>
    /// <param name="nick">The nickname to use.</param>
    /// <param name="password">The room password, if any.</param>
    /// <param name="createIfMissing">Create the room (as an instant room) instead of reporting that it does not exist.</param>
    /// <param name="cancellationToken">Cancels the join.</param>
    /// <returns>The nickname the room accepted.</returns>
    /// <exception cref="XmppStanzaException">The room refused: its presence error's condition (conflict, not-authorized, registration-required, forbidden, ...).</exception>
    public Task<string> JoinRoomAsync(Jid room, string nick, string? password, bool createIfMissing = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentException.ThrowIfNullOrWhiteSpace(nick);
        RequireSession();
        return RoomService.JoinAsync(room, nick, password, createIfMissing, cancellationToken);
    }

    /// <summary>Leaves a joined room (XEP-0045 §7.14). The server handles it before anything sent later.</summary>
    public Task LeaveRoomAsync(Jid room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return RoomService.LeaveAsync(room, cancellationToken);
    }
}
