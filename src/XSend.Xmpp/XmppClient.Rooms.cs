using System.Security.Cryptography;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

// Multi-user chat (XEP-0045): join with confirmation, send with reflection, leave.
public sealed partial class XmppClient
{
    private const string MucNamespace = "http://jabber.org/protocol/muc";
    private const string MucUserNamespace = "http://jabber.org/protocol/muc#user";

    private readonly Dictionary<string, string> _rooms = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _reflections = new(StringComparer.Ordinal);

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
    public async Task<string> JoinRoomAsync(Jid room, string nick, string? password, bool createIfMissing = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentException.ThrowIfNullOrWhiteSpace(nick);
        RequireSession();
        for (int attempt = 0; ; attempt++)
        {
            string tryNick = attempt == 0 ? nick : $"{nick}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
            Jid occupant = room.Bare.WithResource(tryNick);
            SetStep(XmppStep.JoiningRoom, $"joining {room.Bare} as {tryNick}");
            string secret = password is null ? "" : $"<password>{XmlText.Escape(password)}</password>";
            // XEP-0045 §7.2.2 join; §7.2.15: no discussion history, an alert sender has no use for it.
            await WriteStanzaAsync($"<presence to='{XmlText.Escape(occupant.ToString())}'><x xmlns='{MucNamespace}'>{secret}<history maxstanzas='0'/></x></presence>",
                cancellationToken).ConfigureAwait(false);
            try
            {
                bool created = await AwaitSelfPresenceAsync(occupant, cancellationToken).ConfigureAwait(false);
                _rooms[room.Bare.ToString()] = tryNick;
                if (created && createIfMissing)
                {
                    // XEP-0045 §10.1.2: accept the default configuration, unlocking an instant room.
                    await QueryAsync("set", room.Bare.ToString(),
                        "<query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query>", XmppStep.JoiningRoom, cancellationToken)
                        .ConfigureAwait(false);
                }
                else if (created)
                {
                    // XEP-0045 §10.1.1 status 201: our join created the room, so it did not exist. Leave it to vanish.
                    await LeaveRoomAsync(room, cancellationToken).ConfigureAwait(false);
                    throw new XmppStanzaException(StanzaKind.Presence, "cancel", "item-not-found", "the room does not exist", room.Bare.ToString());
                }
                Report($"joined {room.Bare} as {tryNick}");
                return tryNick;
            }
            catch (XmppStanzaException conflict) when (conflict.Condition == "conflict" && attempt == 0)
            {
                Report($"nickname {tryNick} is in use in {room.Bare}; retrying with a suffix"); // XEP-0045 §7.2.9
            }
        }
    }

    /// <summary>Leaves a joined room (XEP-0045 §7.14). The server handles it before anything sent later.</summary>
    public async Task LeaveRoomAsync(Jid room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (!_rooms.Remove(room.Bare.ToString(), out string? nick))
            return;
        await WriteStanzaAsync($"<presence type='unavailable' to='{XmlText.Escape(room.Bare.WithResource(nick).ToString())}'/>", cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<bool> AwaitSelfPresenceAsync(Jid occupant, CancellationToken cancellationToken)
    {
        for (int i = 0; i < MaxIncidentalStanzas; i++)
        {
            XElement element = await ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (element.Name == XName(Namespaces.Client, "presence")
                && string.Equals(element.Attribute("from")?.Value, occupant.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                CountInbound(element);
                if (element.Attribute("type")?.Value == "error")
                    throw ParseStanzaError(element);
                var codes = element.Element(XName(MucUserNamespace, "x"))?.Elements(XName(MucUserNamespace, "status"))
                    .Select(s => s.Attribute("code")?.Value).ToHashSet() ?? [];
                // XEP-0045 §7.2.3: status 110 marks the presence that is about ourselves.
                if (codes.Contains("110") || element.Attribute("type") is null)
                    return codes.Contains("201");
                continue;
            }
            await HandleIncidentalAsync(element, cancellationToken).ConfigureAwait(false);
        }
        throw new XmppProtocolException("the room never confirmed the join");
    }

    /// <summary>Waits for the room to send our message back to us, which proves it reached the occupants.</summary>
    private async Task AwaitReflectionAsync(string messageId, CancellationToken cancellationToken)
    {
        SetStep(XmppStep.AwaitingReflection, "waiting for the room to reflect the message");
        await AwaitNotedAsync(_reflections, messageId, cancellationToken).ConfigureAwait(false);
        Report($"message {messageId} delivered to the room");
    }

    /// <summary>Our own groupchat message coming back from a joined room: note its ids (XEP-0045 §7.4, XEP-0359).</summary>
    private bool TryNoteReflection(XElement message)
    {
        if (message.Attribute("type")?.Value != "groupchat" || message.Attribute("from")?.Value is not { } from)
            return false;
        int slash = from.IndexOf('/');
        if (slash < 0 || !_rooms.TryGetValue(from[..slash], out string? nick) || from[(slash + 1)..] != nick)
            return false;
        // Only ids of messages we sent are waited for; others would only pile up.
        if (message.Attribute("id")?.Value is { } id && _sentIds.Contains(id))
            _reflections.Add(id);
        if (message.Element(XName(Namespaces.StanzaId, "origin-id"))?.Attribute("id")?.Value is { } originId && _sentIds.Contains(originId))
            _reflections.Add(originId);
        return true;
    }
}
