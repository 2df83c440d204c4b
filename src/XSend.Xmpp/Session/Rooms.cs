using System.Security.Cryptography;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Session;

/// <summary>Multi-user chat (XEP-0045): join with confirmation, leave; reflections are noted by the dispatcher.</summary>
internal sealed class Rooms(ISessionHost host, StanzaDispatcher dispatcher)
{
    /// <summary>Joins <paramref name="room"/> and waits for the room's confirmation; returns the nickname it accepted.</summary>
    public async Task<string> JoinAsync(Jid room, string nick, string? password, bool createIfMissing, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            string tryNick = attempt == 0 ? nick : $"{nick}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
            string occupant = room.Bare.WithResource(tryNick).ToString();
            host.SetStep(XmppStep.JoiningRoom, $"joining {room.Bare} as {tryNick}");
            try
            {
                XElement presence = await dispatcher.RequestPresenceAsync(ClientXml.JoinRoom(occupant, password), occupant, cancellationToken)
                    .ConfigureAwait(false);
                if (presence.Attribute("type")?.Value == "error")
                    throw host.ParseStanzaError(presence);
                // XEP-0045 §10.1.1 status 201: our join created the room.
                bool created = presence.Element(XName.Get("x", Namespaces.MucUser))?.Elements(XName.Get("status", Namespaces.MucUser))
                    .Any(s => s.Attribute("code")?.Value == "201") == true;
                dispatcher.SetRoom(room.Bare.ToString(), tryNick);
                if (created && createIfMissing)
                {
                    await dispatcher.QueryAsync("set", room.Bare.ToString(), ClientXml.InstantRoom, XmppStep.JoiningRoom, cancellationToken)
                        .ConfigureAwait(false);
                }
                else if (created)
                {
                    // It did not exist: leave it to vanish.
                    await LeaveAsync(room, cancellationToken).ConfigureAwait(false);
                    throw new XmppStanzaException(StanzaKind.Presence, StanzaErrorType.Cancel, "item-not-found", "the room does not exist", room.Bare.ToString());
                }
                host.Report($"joined {room.Bare} as {tryNick}");
                return tryNick;
            }
            catch (XmppStanzaException conflict) when (conflict.Condition == "conflict" && attempt == 0)
            {
                host.Report($"nickname {tryNick} is in use in {room.Bare}; retrying with a suffix"); // XEP-0045 §7.2.9
            }
        }
    }

    /// <summary>Leaves a joined room (XEP-0045 §7.14); the server handles it before anything sent later.</summary>
    public async Task LeaveAsync(Jid room, CancellationToken cancellationToken)
    {
        if (!dispatcher.JoinedRooms.TryGetValue(room.Bare.ToString(), out string? nick))
            return;
        dispatcher.SetRoom(room.Bare.ToString(), null);
        await dispatcher.WriteStanzaAsync(ClientXml.LeaveRoom(room.Bare.WithResource(nick).ToString()), cancellationToken).ConfigureAwait(false);
    }
}
