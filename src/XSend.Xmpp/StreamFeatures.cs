using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

/// <summary>What the server offered in <c>&lt;stream:features/&gt;</c> (RFC 6120 §4.3.2).</summary>
public sealed class StreamFeatures
{
    private StreamFeatures(XElement element)
    {
        // RFC 6120 §5.4.1: STARTTLS is offered; whether it is marked <required/> does not matter
        // here, since the client's own policy decides whether it may go on without it.
        StartTls = element.Element(XName.Get("starttls", Namespaces.Tls)) is not null;
        Mechanisms = element.Element(XName.Get("mechanisms", Namespaces.Sasl))?
            .Elements(XName.Get("mechanism", Namespaces.Sasl)).Select(m => m.Value.Trim()).ToArray() ?? [];
        // XEP-0440: the channel-binding types the server supports, if it says.
        ChannelBindingTypes = element.Element(XName.Get("sasl-channel-binding", "urn:xmpp:sasl-cb:0"))?
            .Elements(XName.Get("channel-binding", "urn:xmpp:sasl-cb:0"))
            .Select(e => (string?)e.Attribute("type")).OfType<string>().ToArray();
        // XEP-0388: SASL2, with what may ride inline in the authentication request.
        XElement? sasl2 = element.Element(XName.Get("authentication", Namespaces.Sasl2));
        Sasl2Mechanisms = sasl2?.Elements(XName.Get("mechanism", Namespaces.Sasl2)).Select(m => m.Value.Trim()).ToArray();
        XElement? inline = sasl2?.Element(XName.Get("inline", Namespaces.Sasl2));
        XElement? bind2 = inline?.Element(XName.Get("bind", Namespaces.Bind2));
        Bind2 = bind2 is not null;
        // XEP-0386 §2: features the server can enable inside the bind request.
        Bind2Features = bind2?.Element(XName.Get("inline", Namespaces.Bind2))?.Elements(XName.Get("feature", Namespaces.Bind2))
            .Select(f => (string?)f.Attribute("var")).OfType<string>().ToArray() ?? [];
        FastMechanisms = inline?.Element(XName.Get("fast", Namespaces.Fast))?.Elements(XName.Get("mechanism", Namespaces.Fast))
            .Select(m => m.Value.Trim()).ToArray() ?? [];
        Bind = element.Element(XName.Get("bind", Namespaces.Bind)) is not null;
        XElement? session = element.Element(XName.Get("session", Namespaces.Session));
        // RFC 6121 dropped the session request; only send it when the server does not mark it optional.
        SessionRequired = session is not null && session.Element(XName.Get("optional", Namespaces.Session)) is null;
        StreamManagement = element.Element(XName.Get("sm", Namespaces.StreamManagement)) is not null;
        ClientStateIndication = element.Element(XName.Get("csi", "urn:xmpp:csi:0")) is not null;
        string? maxBytes = element.Element(XName.Get("limits", Namespaces.StreamLimits))?.Element(XName.Get("max-bytes", Namespaces.StreamLimits))?.Value;
        MaxStanzaBytes = long.TryParse(maxBytes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long limit) && limit > 0
            ? limit
            : null;
    }

    /// <summary>STARTTLS is offered.</summary>
    public bool StartTls { get; }

    /// <summary>The SASL mechanisms offered, in the server's order.</summary>
    public IReadOnlyList<string> Mechanisms { get; }

    /// <summary>The channel-binding types advertised with XEP-0440, or <see langword="null"/> when not advertised.</summary>
    public IReadOnlyList<string>? ChannelBindingTypes { get; }

    /// <summary>The SASL2 (XEP-0388) mechanisms offered, or <see langword="null"/> when SASL2 is not offered.</summary>
    public IReadOnlyList<string>? Sasl2Mechanisms { get; }

    /// <summary>Bind2 (XEP-0386) can bind a resource inside the SASL2 request.</summary>
    public bool Bind2 { get; }

    /// <summary>The features Bind2 can enable inline (for example <c>urn:xmpp:sm:3</c>).</summary>
    public IReadOnlyList<string> Bind2Features { get; }

    /// <summary>The FAST (XEP-0484) token mechanisms offered inside SASL2.</summary>
    public IReadOnlyList<string> FastMechanisms { get; }

    /// <summary>Resource binding is offered.</summary>
    public bool Bind { get; }

    /// <summary>The legacy session establishment (RFC 3921) is offered and not marked optional.</summary>
    public bool SessionRequired { get; }

    /// <summary>XEP-0198 stream management (urn:xmpp:sm:3) is offered.</summary>
    public bool StreamManagement { get; }

    /// <summary>XEP-0352 client state indication is offered.</summary>
    public bool ClientStateIndication { get; }

    /// <summary>The largest stanza the server accepts, if it says (XEP-0478 stream limits).</summary>
    public long? MaxStanzaBytes { get; }

    /// <summary>Reads the facts from a <c>&lt;stream:features/&gt;</c> element.</summary>
    internal static StreamFeatures Parse(XElement element) => new(element);
}
