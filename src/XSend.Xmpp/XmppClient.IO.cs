using System.Xml.Linq;
using XSend.Xmpp.Connection;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp;

// Forwards to the connection (Connection/XmppConnection), under the names the session code uses.
public sealed partial class XmppClient
{
    // RequireSession asks whether a stream is open; null once closed.
    private XmppConnection? _stream => _connection.IsOpen ? _connection : null;

    private Task WriteAsync(string xml, CancellationToken cancellationToken) => _connection.WriteAsync(xml, cancellationToken);

    /// <summary>Reads the next element; the server closing its stream here is a lost connection.</summary>
    private Task<XElement> ReadElementAsync(CancellationToken cancellationToken) => _connection.ReadElementAsync(cancellationToken);

    /// <summary>Reads the next element, or <see langword="null"/> at <c>&lt;/stream:stream&gt;</c>; raises stream errors.</summary>
    private Task<XElement?> ReadElementOrEndAsync(CancellationToken cancellationToken) => _connection.ReadElementOrEndAsync(cancellationToken);

    private void SetStep(XmppStep step, string message) => _connection.SetStep(step, message);

    private void Report(string message) => _connection.Report(message);

    private static XmppStreamException ParseStreamError(XElement error, bool unverified) => ErrorParser.StreamError(error, unverified);

    private static XmppStanzaException ParseStanzaError(XElement stanza) => ErrorParser.StanzaError(stanza);
}
