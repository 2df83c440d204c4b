using System.Xml.Linq;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Session;

namespace XSend.Xmpp;

// The public face of Session/Disco and Session/Roster: requests answered by the server.
public sealed partial class XmppClient
{
    /// <summary>
    /// Asks an entity what it is and supports (XEP-0030). Pass the domain for the server itself:
    /// without a 'to' the request goes to the account's own bare JID (RFC 6120 §10.3.3).
    /// </summary>
    public Task<DiscoInfo> DiscoverInfoAsync(string? to, CancellationToken cancellationToken = default)
    {
        RequireSession();
        return new Disco(Dispatcher).InfoAsync(to, cancellationToken);
    }

    /// <summary>Lists an entity's items (for the domain: the server's components). Null means the account's own bare JID.</summary>
    public Task<IReadOnlyList<string>> DiscoverItemsAsync(string? to, CancellationToken cancellationToken = default)
    {
        RequireSession();
        return new Disco(Dispatcher).ItemsAsync(to, cancellationToken);
    }

    /// <summary>Fetches the account's roster (RFC 6121 §2.1.3).</summary>
    public Task<IReadOnlyList<RosterItem>> GetRosterAsync(CancellationToken cancellationToken = default)
    {
        RequireSession();
        return new Roster(Dispatcher).GetAsync(cancellationToken);
    }

    /// <summary>
    /// Asks to see <paramref name="contact"/>'s presence and pre-approves the contact's request
    /// to see ours (RFC 6121 §3.1 and §3.4), so the two become contacts once the other side
    /// does the same. Returns once the server has processed both.
    /// </summary>
    public Task SubscribeAsync(Jid contact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        RequireSession();
        return new Roster(Dispatcher).SubscribeAsync(contact, cancellationToken);
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
        RequireSession();
        return Dispatcher.QueryAsync(type, to, payload.ToString(SaveOptions.DisableFormatting), XmppStep.Querying, cancellationToken);
    }
}
