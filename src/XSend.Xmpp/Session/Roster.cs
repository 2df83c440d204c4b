using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Session;

/// <summary>The roster and presence subscriptions (RFC 6121) over the dispatcher.</summary>
internal sealed class Roster(StanzaDispatcher dispatcher)
{
    /// <summary>Fetches the roster (RFC 6121 §2.1.3).</summary>
    public async Task<IReadOnlyList<RosterItem>> GetAsync(CancellationToken cancellationToken)
    {
        XElement result = await dispatcher.QueryAsync("get", null, ClientXml.Query(Namespaces.Roster), XmppStep.Querying, cancellationToken)
            .ConfigureAwait(false);
        return result.Element(XName.Get("query", Namespaces.Roster))?.Elements(XName.Get("item", Namespaces.Roster))
            .Select(i => new RosterItem(i.Attribute("jid")?.Value ?? "", i.Attribute("name")?.Value,
                i.Attribute("subscription")?.Value ?? "none", i.Attribute("ask")?.Value))
            .ToList() ?? [];
    }

    /// <summary>Asks for <paramref name="contact"/>'s presence and pre-approves theirs (RFC 6121 §3.1, §3.4); returns once the server processed both.</summary>
    public async Task SubscribeAsync(Jid contact, CancellationToken cancellationToken)
    {
        string to = contact.Bare.ToString();
        await dispatcher.WriteStanzaAsync(ClientXml.Subscription("subscribe", to), cancellationToken).ConfigureAwait(false);
        await dispatcher.WriteStanzaAsync(ClientXml.Subscription("subscribed", to), cancellationToken).ConfigureAwait(false);
        await dispatcher.ConfirmAsync([], cancellationToken).ConfigureAwait(false);
    }
}
