using System.Net.Sockets;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

// Reading and writing: the one place where transport failures become typed exceptions.
public sealed partial class XmppClient
{
    private async Task WriteAsync(string xml, CancellationToken cancellationToken)
    {
        Stream stream = _stream ?? throw new InvalidOperationException("The client is not connected.");
        _options.ProtocolLogger?.LogClient(xml); // the logger redacts secrets
        byte[] bytes = Encoding.UTF8.GetBytes(xml);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            throw TranslateIoFailure(ex, cancellationToken);
        }
    }

    /// <summary>Reads the next element; the server closing its stream here is a lost connection.</summary>
    private async Task<XElement> ReadElementAsync(CancellationToken cancellationToken) =>
        await ReadElementOrEndAsync(cancellationToken).ConfigureAwait(false)
        ?? throw new XmppConnectionException(ConnectionFailure.Lost, $"the server closed the stream while {Step.Describe()}");

    /// <summary>Reads the next element, or <see langword="null"/> at <c>&lt;/stream:stream&gt;</c>; raises stream errors.</summary>
    private async Task<XElement?> ReadElementOrEndAsync(CancellationToken cancellationToken)
    {
        XElement? element = await ReadAsync(r => r.ReadElementAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        if (element is null)
        {
            _options.ProtocolLogger?.LogServer("</stream:stream>");
            return null;
        }
        _options.ProtocolLogger?.LogServer(element);
        if (element.Name == XName(Namespaces.Streams, "error"))
            throw ParseStreamError(element, unverified: !IsTlsProtected);
        return element;
    }

    private async Task<T> ReadAsync<T>(Func<XmppStreamReader, Task<T>> read, CancellationToken cancellationToken)
    {
        XmppStreamReader reader = _reader ?? throw new InvalidOperationException("The client is not connected.");
        _metered!.ReadToken = cancellationToken;
        try
        {
            return await read(reader).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmlException or IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            throw TranslateIoFailure(ex, cancellationToken);
        }
    }

    private Exception TranslateIoFailure(Exception ex, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return new OperationCanceledException($"cancelled while {Step.Describe()}", ex, cancellationToken);
        if (ex is StanzaTooLargeException || ex.InnerException is StanzaTooLargeException)
        {
            long limit = (ex as StanzaTooLargeException ?? (StanzaTooLargeException)ex.InnerException!).Limit;
            return new XmppProtocolException($"the server sent an element larger than {limit} bytes while {Step.Describe()}", ex);
        }
        return ex switch
        {
            // A parse error at end of input is a cut connection, not bad XML.
            XmlException when _metered?.EndOfStream == true =>
                new XmppConnectionException(ConnectionFailure.Lost, $"the connection closed mid-element while {Step.Describe()}", ex),
            // The parser's message quotes the offending character: escape it.
            XmlException xml => new XmppProtocolException($"the server sent malformed XML while {Step.Describe()}: {PrintableText.Sanitize(xml.Message)}", ex),
            EndOfStreamException => new XmppConnectionException(ConnectionFailure.Lost, $"the server closed the connection while {Step.Describe()}", ex),
            _ => new XmppConnectionException(ConnectionFailure.Lost, $"the connection was lost while {Step.Describe()}: {PrintableText.Sanitize(Innermost(ex).Message)}", ex),
        };
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
            ex = ex.InnerException;
        return ex;
    }

    private static XmppStreamException ParseStreamError(XElement error, bool unverified)
    {
        // RFC 6120 §4.9.2: one defined-condition child plus an optional <text/>.
        XElement? condition = error.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StreamErrors && e.Name.LocalName != "text");
        string? text = error.Element(XName(Namespaces.StreamErrors, "text"))?.Value;
        string name = condition?.Name.LocalName ?? "undefined-condition";
        string? otherHost = name == "see-other-host" ? condition!.Value.Trim() : null;
        // The text is the server's, printed on our line: escape control and bidi characters.
        return new XmppStreamException(name, string.IsNullOrWhiteSpace(text) ? null : PrintableText.Sanitize(text.Trim()), otherHost, unverified);
    }

    private static XmppStanzaException ParseStanzaError(XElement stanza)
    {
        // RFC 6120 §8.3.2: <error type='…'><condition xmlns='…stanzas'/><text/></error>
        XElement? error = stanza.Element(XName(Namespaces.Client, "error"));
        string type = error?.Attribute("type")?.Value ?? "cancel";
        XElement? condition = error?.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StanzaErrors && e.Name.LocalName != "text");
        string? text = error?.Element(XName(Namespaces.StanzaErrors, "text"))?.Value;
        return new XmppStanzaException(stanza.Name.LocalName switch { "presence" => StanzaKind.Presence, "iq" => StanzaKind.Iq, _ => StanzaKind.Message }, PrintableText.Sanitize(type), condition?.Name.LocalName ?? "undefined-condition",
            string.IsNullOrWhiteSpace(text) ? null : PrintableText.Sanitize(text.Trim()), PrintableText.SanitizeOrNull(stanza.Attribute("from")?.Value));
    }
}
