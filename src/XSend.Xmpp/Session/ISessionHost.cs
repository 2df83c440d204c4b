using System.Xml.Linq;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Session;

/// <summary>
/// What the session layer needs from the negotiated connection below it: reading and writing
/// elements (with I/O failures already typed), the stream's facts, and progress reporting.
/// <see cref="XmppClient"/> implements it over its connection; the routing tests over a script.
/// </summary>
internal interface ISessionHost
{
    /// <summary>The account's bare JID.</summary>
    Jid Account { get; }

    /// <summary>The full JID the server bound, once bound.</summary>
    Jid? BoundJid { get; }

    /// <summary>Whether XEP-0198 stream management is enabled on the stream.</summary>
    bool IsStreamManagementEnabled { get; }

    /// <summary>The largest stanza the server accepts (XEP-0478), if it announced one.</summary>
    long? MaxStanzaBytes { get; }

    /// <summary>Whether received receipt requests are answered (XEP-0184).</summary>
    bool SendReceipts { get; }

    /// <summary>The clock for every timer of the session.</summary>
    TimeProvider Time { get; }

    /// <summary>The step the session is in, named when something stalls.</summary>
    XmppStep Step { get; }

    /// <summary>Enters <paramref name="step"/>, reporting <paramref name="message"/>.</summary>
    void SetStep(XmppStep step, string message);

    /// <summary>Reports progress within the current step.</summary>
    void Report(string message);

    /// <summary>Reads the next element; a stream error or the stream's end is raised as a typed exception.</summary>
    Task<XElement> ReadElementAsync(CancellationToken cancellationToken);

    /// <summary>Writes raw XML (already escaped).</summary>
    Task WriteAsync(string xml, CancellationToken cancellationToken);

    /// <summary>The stanza error (RFC 6120 §8.3) carried by an error stanza.</summary>
    XmppStanzaException ParseStanzaError(XElement stanza);

    /// <summary>Drops the connection at once (a keepalive found it dead), ending a pending read.</summary>
    void Abort();
}
