using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

// Requests answered by the server: service discovery, the roster, subscriptions.
public sealed partial class XmppClient
{
    private const string DiscoInfoNamespace = "http://jabber.org/protocol/disco#info";
    private const string DiscoItemsNamespace = "http://jabber.org/protocol/disco#items";
    private const string RosterNamespace = "jabber:iq:roster";

    /// <summary>
    /// Asks an entity what it is and supports (XEP-0030). Pass the domain for the server itself:
    /// without a 'to' the request goes to the account's own bare JID (RFC 6120 §10.3.3).
    /// </summary>
    public async Task<DiscoInfo> DiscoverInfoAsync(string? to, CancellationToken cancellationToken = default)
    {
        XElement result = await QueryAsync("get", to, $"<query xmlns='{DiscoInfoNamespace}'/>", XmppStep.Discovering, cancellationToken).ConfigureAwait(false);
        XElement? query = result.Element(XName(DiscoInfoNamespace, "query"));
        var identities = query?.Elements(XName(DiscoInfoNamespace, "identity"))
            .Select(i => (i.Attribute("category")?.Value ?? "", i.Attribute("type")?.Value ?? "")).ToList() ?? [];
        var features = query?.Elements(XName(DiscoInfoNamespace, "feature")).Select(f => f.Attribute("var")?.Value ?? "").ToList() ?? [];
        return new DiscoInfo(identities, features);
    }

    /// <summary>Lists an entity's items (for the domain: the server's components). Null means the account's own bare JID.</summary>
    public async Task<IReadOnlyList<string>> DiscoverItemsAsync(string? to, CancellationToken cancellationToken = default)
    {
        XElement result = await QueryAsync("get", to, $"<query xmlns='{DiscoItemsNamespace}'/>", XmppStep.Discovering, cancellationToken).ConfigureAwait(false);
        return result.Element(XName(DiscoItemsNamespace, "query"))?.Elements(XName(DiscoItemsNamespace, "item"))
            .Select(i => i.Attribute("jid")?.Value).OfType<string>().ToList() ?? [];
    }

    /// <summary>Fetches the account's roster (RFC 6121 §2.1.3).</summary>
    public async Task<IReadOnlyList<RosterItem>> GetRosterAsync(CancellationToken cancellationToken = default)
    {
        XElement result = await QueryAsync("get", null, $"<query xmlns='{RosterNamespace}'/>", XmppStep.Querying, cancellationToken).ConfigureAwait(false);
        return result.Element(XName(RosterNamespace, "query"))?.Elements(XName(RosterNamespace, "item"))
            .Select(i => new RosterItem(i.Attribute("jid")?.Value ?? "", i.Attribute("name")?.Value,
                i.Attribute("subscription")?.Value ?? "none", i.Attribute("ask")?.Value))
            .ToList() ?? [];
    }

    /// <summary>
    /// Asks to see <paramref name="contact"/>'s presence and pre-approves the contact's request
    /// to see ours (RFC 6121 §3.1 and §3.4), so the two become contacts once the other side
    /// does the same. Returns once the server has processed both.
    /// </summary>
    public async Task SubscribeAsync(Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        RequireSession();
        string to = XmlText.Escape(contact.Bare.ToString());
        await WriteStanzaAsync($"<presence type='subscribe' to='{to}'/>", cancellationToken).ConfigureAwait(false);
        await WriteStanzaAsync($"<presence type='subscribed' to='{to}'/>", cancellationToken).ConfigureAwait(false);
        await ConfirmAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an IQ with <paramref name="payload"/> and returns the result, raising an error
    /// answer as <see cref="Errors.XmppStanzaException"/>; for requests this client has no method for.
    /// </summary>
    public Task<XElement> SendIqAsync(string type, string? to, XElement payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (type is not ("get" or "set"))
            throw new ArgumentOutOfRangeException(nameof(type), "an IQ request is get or set");
        return QueryAsync(type, to, payload.ToString(SaveOptions.DisableFormatting), XmppStep.Querying, cancellationToken);
    }

    private async Task<XElement> QueryAsync(string type, string? to, string payload, XmppStep step, CancellationToken cancellationToken)
    {
        RequireSession();
        // So that a query the server never answers is named as what stalled.
        SetStep(step, $"asking {to ?? "the account"}");
        string id = NewId();
        string toAttr = to is null ? "" : $" to='{XmlText.Escape(to)}'";
        await WriteStanzaAsync($"<iq type='{type}' id='{id}'{toAttr}>{payload}</iq>", cancellationToken).ConfigureAwait(false);
        return await ReadIqResponseAsync(id, cancellationToken).ConfigureAwait(false);
    }
}
