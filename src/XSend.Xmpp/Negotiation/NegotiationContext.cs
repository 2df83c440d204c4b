using System.Xml.Linq;
using XSend.Xmpp.Connection;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// What the steps work with: the connection, the options, the login's inputs, the state reached
/// so far, and the one bounded read loop for waiting on a reply while the server sends other things.
/// </summary>
/// <param name="connection">The connection to negotiate on.</param>
/// <param name="options">The client's options.</param>
/// <param name="account">The account's bare JID.</param>
/// <param name="incidental">Handles an element nobody in negotiation waits for (an ack request, an IQ): the session's handler.</param>
internal sealed class NegotiationContext(
    XmppConnection connection, XmppClientOptions options, Jid account, Func<XElement, CancellationToken, Task> incidental)
{
    /// <summary>How many unrelated elements a wait skips before it gives up on the server.</summary>
    public const int MaxIncidentalElements = 10_000;

    /// <summary>The connection.</summary>
    public XmppConnection Connection { get; } = connection;

    /// <summary>The client's options.</summary>
    public XmppClientOptions Options { get; } = options;

    /// <summary>The account's bare JID.</summary>
    public Jid Account { get; } = account;

    /// <summary>What negotiation has established so far.</summary>
    public NegotiationState State { get; set; } = new();

    /// <summary>The password for the login; set only while it runs.</summary>
    public string? Password { get; set; }

    /// <summary>The XEP-0198 session to resume instead of binding, if any.</summary>
    public StreamResumption? Resume { get; set; }

    /// <summary>Ask for a resumable session when enabling stream management (XEP-0198 §5).</summary>
    public bool RequestResumption { get; set; }

    /// <summary>Whether the connection started with direct TLS (XEP-0368): a resumption location keeps it.</summary>
    public bool DirectTls { get; set; }

    /// <summary>Whether the bind step already pipelined the &lt;enable/&gt; request.</summary>
    public bool EnableRequestSent { get; set; }

    /// <summary>The names of the steps that ran, in order.</summary>
    public List<string> StepsRun { get; } = [];

    /// <summary>Opens a stream (at the start, after TLS, after SASL) and records its features.</summary>
    public async Task OpenStreamAsync(CancellationToken cancellationToken) =>
        State = State with { Features = await Connection.OpenStreamAsync(Account, cancellationToken).ConfigureAwait(false) };

    /// <summary>
    /// Reads until an element <paramref name="match"/>es, handing everything else to the session's
    /// incidental handler; after <paramref name="limit"/> elements, gives up with <paramref name="exhausted"/>.
    /// </summary>
    public async Task<XElement> ReadUntilAsync(Func<XElement, bool> match, string exhausted, CancellationToken cancellationToken,
        int limit = MaxIncidentalElements)
    {
        for (int i = 0; i < limit; i++)
        {
            XElement element = await Connection.ReadElementAsync(cancellationToken).ConfigureAwait(false);
            if (match(element))
                return element;
            await incidental(element, cancellationToken).ConfigureAwait(false);
        }
        throw new XmppProtocolException(exhausted);
    }

    /// <summary>Sends an IQ request and waits for its result, raising its error (RFC 6120 §8.2.3).</summary>
    public async Task<XElement> QueryAsync(string id, string request, CancellationToken cancellationToken)
    {
        await Connection.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadIqResultAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the result of IQ <paramref name="id"/>, raising its error.</summary>
    public async Task<XElement> ReadIqResultAsync(string id, CancellationToken cancellationToken)
    {
        XElement reply = await ReadUntilAsync(
            e => e.Name == XName.Get("iq", Namespaces.Client) && e.Attribute("id")?.Value == id && e.Attribute("type")?.Value is "result" or "error",
            $"no answer to request {id}", cancellationToken).ConfigureAwait(false);
        if (reply.Attribute("type")!.Value == "error")
            throw ErrorParser.StanzaError(reply);
        return reply;
    }
}
