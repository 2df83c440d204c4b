using System.Xml.Linq;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Connection;

/// <summary>
/// Turns the server's error elements into typed exceptions. Every server-controlled string
/// (texts, the <c>from</c> address, the error type) is escaped with <see cref="PrintableText"/>,
/// since it ends up on the one line the CLI prints.
/// </summary>
internal static class ErrorParser
{
    /// <summary>A <c>&lt;stream:error/&gt;</c>; <paramref name="unverified"/> when it arrived before TLS.</summary>
    public static XmppStreamException StreamError(XElement error, bool unverified)
    {
        // RFC 6120 §4.9.2: one defined-condition child plus an optional <text/>.
        XElement? condition = error.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StreamErrors && e.Name.LocalName != "text");
        string? text = error.Element(XName.Get("text", Namespaces.StreamErrors))?.Value;
        string name = condition?.Name.LocalName ?? "undefined-condition";
        // RFC 6120 §4.9.3.19: see-other-host names where to reconnect.
        string? otherHost = name == "see-other-host" ? condition!.Value.Trim() : null;
        return new XmppStreamException(name, SanitizedText(text), otherHost, unverified);
    }

    /// <summary>A stanza of type <c>error</c> (message, presence or IQ).</summary>
    public static XmppStanzaException StanzaError(XElement stanza)
    {
        // RFC 6120 §8.3.2: <error type='…'><condition xmlns='…stanzas'/><text/></error>
        XElement? error = stanza.Element(XName.Get("error", Namespaces.Client));
        XElement? condition = error?.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.StanzaErrors && e.Name.LocalName != "text");
        string? text = error?.Element(XName.Get("text", Namespaces.StanzaErrors))?.Value;
        StanzaKind kind = stanza.Name.LocalName switch
        {
            "presence" => StanzaKind.Presence,
            "iq" => StanzaKind.Iq,
            _ => StanzaKind.Message,
        };
        return new XmppStanzaException(kind, XmppStanzaException.ParseErrorType(error?.Attribute("type")?.Value), condition?.Name.LocalName ?? "undefined-condition",
            SanitizedText(text), PrintableText.SanitizeOrNull(stanza.Attribute("from")?.Value));
    }

    /// <summary>
    /// A SASL <c>&lt;failure/&gt;</c> (RFC 6120 §6.5; XEP-0388 §2.6.2 reuses its conditions): one
    /// defined condition in the xmpp-sasl namespace plus an optional &lt;text/&gt; in the failure's own namespace.
    /// </summary>
    public static XmppAuthenticationException SaslFailure(XElement failure)
    {
        XElement? condition = failure.Elements().FirstOrDefault(e => e.Name.Namespace == Namespaces.Sasl && e.Name.LocalName != "text");
        string? text = failure.Element(XName.Get("text", failure.Name.NamespaceName))?.Value;
        return XmppAuthenticationException.FromServer(condition?.Name.LocalName ?? "not-authorized", SanitizedText(text));
    }

    // The server's words, printed on our line: trimmed, escaped, and absent when blank.
    private static string? SanitizedText(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : PrintableText.Sanitize(text.Trim());
}
