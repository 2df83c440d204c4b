using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp;

/// <summary>What the server offered in <c>&lt;stream:features/&gt;</c> (RFC 6120 §4.3.2).</summary>
public sealed class StreamFeatures
{
    private StreamFeatures(XElement element)
    {
        Element = element;
        XElement? tls = element.Element(XName.Get("starttls", Namespaces.Tls));
        StartTls = tls is not null;
        StartTlsRequired = tls?.Element(XName.Get("required", Namespaces.Tls)) is not null;
        Mechanisms = element.Element(XName.Get("mechanisms", Namespaces.Sasl))?
            .Elements(XName.Get("mechanism", Namespaces.Sasl)).Select(m => m.Value.Trim()).ToArray() ?? [];
        // XEP-0440: the channel-binding types the server supports, if it says.
        ChannelBindingTypes = element.Element(XName.Get("sasl-channel-binding", "urn:xmpp:sasl-cb:0"))?
            .Elements(XName.Get("channel-binding", "urn:xmpp:sasl-cb:0"))
            .Select(e => (string?)e.Attribute("type")).OfType<string>().ToArray();
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

    /// <summary>The raw features element.</summary>
    public XElement Element { get; }

    /// <summary>STARTTLS is offered.</summary>
    public bool StartTls { get; }

    /// <summary>STARTTLS is offered and marked required.</summary>
    public bool StartTlsRequired { get; }

    /// <summary>The SASL mechanisms offered, in the server's order.</summary>
    public IReadOnlyList<string> Mechanisms { get; }

    /// <summary>The channel-binding types advertised with XEP-0440, or <see langword="null"/> when not advertised.</summary>
    public IReadOnlyList<string>? ChannelBindingTypes { get; }

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

    internal static StreamFeatures Parse(XElement element) => new(element);
}
