using System.Globalization;

namespace XSend.Xmpp.Protocol;

/// <summary>Builds the XML the client writes. Every dynamic value passes through <see cref="XmlText.Escape"/>.</summary>
internal static class ClientXml
{
    public static string StreamHeader(string to, string? from)
    {
        // RFC 6120 §4.7.1: include 'from' only once the stream is protected by TLS.
        string fromAttr = from is null ? "" : $" from='{XmlText.Escape(from)}'";
        return "<?xml version='1.0'?>"
            + $"<stream:stream xmlns='{Namespaces.Client}' xmlns:stream='{Namespaces.Streams}'"
            + $" to='{XmlText.Escape(to)}'{fromAttr} version='1.0' xml:lang='en'>";
    }

    public const string StreamClose = "</stream:stream>";

    public const string StartTls = $"<starttls xmlns='{Namespaces.Tls}'/>";

    public static string Auth(string mechanism, string payload) =>
        // RFC 6120 §6.4.2: an empty initial response is sent as a single '='.
        $"<auth xmlns='{Namespaces.Sasl}' mechanism='{XmlText.Escape(mechanism)}'>{(payload.Length == 0 ? "=" : payload)}</auth>";

    public static string Response(string payload) =>
        payload.Length == 0 ? $"<response xmlns='{Namespaces.Sasl}'/>" : $"<response xmlns='{Namespaces.Sasl}'>{payload}</response>";

    public const string Abort = $"<abort xmlns='{Namespaces.Sasl}'/>";

    /// <summary>
    /// XEP-0388 §2.3: the SASL2 request, with the user agent, and inline a Bind2 request
    /// (XEP-0386 §3, optionally enabling stream management) and FAST token elements (XEP-0484).
    /// </summary>
    public static string Authenticate(string mechanism, string payload, Sasl2Extras extras)
    {
        var xml = new System.Text.StringBuilder();
        xml.Append($"<authenticate xmlns='{Namespaces.Sasl2}' mechanism='{XmlText.Escape(mechanism)}'>");
        xml.Append($"<initial-response>{(payload.Length == 0 ? "=" : payload)}</initial-response>");
        string id = extras.UserAgentId is { } agent ? $" id='{agent:D}'" : "";
        xml.Append($"<user-agent{id}><software>{XmlText.Escape(extras.Software)}</software></user-agent>");
        if (extras.BindTag is { } tag)
        {
            xml.Append($"<bind xmlns='{Namespaces.Bind2}'><tag>{XmlText.Escape(tag)}</tag>");
            if (extras.EnableStreamManagement)
                xml.Append(EnableStreamManagement);
            xml.Append("</bind>");
        }
        if (extras.UsingFastToken)
            xml.Append($"<fast xmlns='{Namespaces.Fast}'/>");
        if (extras.RequestTokenFor is { } fast)
            xml.Append($"<request-token xmlns='{Namespaces.Fast}' mechanism='{XmlText.Escape(fast)}'/>");
        return xml.Append("</authenticate>").ToString();
    }

    public static string Sasl2Response(string payload) =>
        payload.Length == 0 ? $"<response xmlns='{Namespaces.Sasl2}'/>" : $"<response xmlns='{Namespaces.Sasl2}'>{payload}</response>";

    public const string Sasl2Abort = $"<abort xmlns='{Namespaces.Sasl2}'/>";

    public static string Bind(string id, string resource) =>
        $"<iq type='set' id='{XmlText.Escape(id)}'><bind xmlns='{Namespaces.Bind}'><resource>{XmlText.Escape(resource)}</resource></bind></iq>";

    public static string Session(string id) =>
        $"<iq type='set' id='{XmlText.Escape(id)}'><session xmlns='{Namespaces.Session}'/></iq>";

    public static string Ping(string id) =>
        $"<iq type='get' id='{XmlText.Escape(id)}'><ping xmlns='{Namespaces.Ping}'/></iq>";

    public static string IqResult(string id, string? to) =>
        $"<iq type='result' id='{XmlText.Escape(id)}'{ToAttr(to)}/>";

    public static string IqError(string id, string? to, string type, string condition) =>
        $"<iq type='error' id='{XmlText.Escape(id)}'{ToAttr(to)}><error type='{type}'><{condition} xmlns='{Namespaces.StanzaErrors}'/></error></iq>";

    public const string EnableStreamManagement = $"<enable xmlns='{Namespaces.StreamManagement}'/>";

    /// <summary>XEP-0198 §5: enable stream management and ask the server to keep the session resumable.</summary>
    public const string EnableResumableStreamManagement = $"<enable xmlns='{Namespaces.StreamManagement}' resume='true'/>";

    /// <summary>XEP-0198 §5: resume session <paramref name="previousId"/>, having handled <paramref name="handled"/> of its stanzas.</summary>
    public static string Resume(string previousId, uint handled) =>
        $"<resume xmlns='{Namespaces.StreamManagement}' previd='{XmlText.Escape(previousId)}' h='{handled.ToString(CultureInfo.InvariantCulture)}'/>";

    public const string AckRequest = $"<r xmlns='{Namespaces.StreamManagement}'/>";

    public static string Ack(uint handled) =>
        $"<a xmlns='{Namespaces.StreamManagement}' h='{handled.ToString(CultureInfo.InvariantCulture)}'/>";

    public const string InitialPresence = "<presence/>";

    public static string Message(OutgoingMessage message, string id)
    {
        string subject = message.Subject is null ? "" : $"<subject>{XmlText.Escape(message.Subject)}</subject>";
        // XEP-0184 §5.1: the request rides in the message itself.
        string receipt = message.RequestReceipt ? $"<request xmlns='{Namespaces.Receipts}'/>" : "";
        // XEP-0203 §4: a UTC timestamp (XEP-0082 format) of when the alert was first raised.
        string delay = message.Delay is { } when
            ? $"<delay xmlns='{Namespaces.Delay}' stamp='{when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}'/>"
            : "";
        // XEP-0359 §3: origin-id lets receivers and archives drop duplicates of a resent alert.
        return $"<message type='{message.Type.ToWireName()}' id='{XmlText.Escape(id)}' to='{XmlText.Escape(message.To.ToString())}'>"
            + subject
            + $"<body>{XmlText.Escape(message.Body)}</body>"
            + receipt
            + delay
            + $"<origin-id xmlns='{Namespaces.StanzaId}' id='{XmlText.Escape(id)}'/>"
            + "</message>";
    }

    public static string Receipt(string to, string id) =>
        $"<message to='{XmlText.Escape(to)}' id='{XmlText.Escape(id)}-receipt'><received xmlns='{Namespaces.Receipts}' id='{XmlText.Escape(id)}'/></message>";

    private static string ToAttr(string? to) => to is null ? "" : $" to='{XmlText.Escape(to)}'";

    /// <summary>An IQ request (RFC 6120 §8.2.3) carrying <paramref name="payload"/>, already serialised.</summary>
    public static string Iq(string type, string id, string? to, string payload) =>
        $"<iq type='{XmlText.Escape(type)}' id='{XmlText.Escape(id)}'{ToAttr(to)}>{payload}</iq>";

    /// <summary>XEP-0045 §7.2.2: join as <paramref name="occupant"/>; §7.2.15: no discussion history, an alert sender has no use for it.</summary>
    public static string JoinRoom(string occupant, string? password)
    {
        string secret = password is null ? "" : $"<password>{XmlText.Escape(password)}</password>";
        return $"<presence to='{XmlText.Escape(occupant)}'><x xmlns='{Namespaces.Muc}'>{secret}<history maxstanzas='0'/></x></presence>";
    }

    /// <summary>XEP-0045 §7.14: leave a room (unavailable presence to our occupant JID).</summary>
    public static string LeaveRoom(string occupant) => $"<presence type='unavailable' to='{XmlText.Escape(occupant)}'/>";

    /// <summary>XEP-0045 §10.1.2: accept the default configuration, unlocking an instant room.</summary>
    public const string InstantRoom = $"<query xmlns='{Namespaces.MucOwner}'><x xmlns='{Namespaces.DataForms}' type='submit'/></query>";

    /// <summary>RFC 6121 §3.1 and §3.4: a subscription request or approval (<paramref name="type"/>) to <paramref name="to"/>.</summary>
    public static string Subscription(string type, string to) => $"<presence type='{XmlText.Escape(type)}' to='{XmlText.Escape(to)}'/>";

    /// <summary>An empty query in <paramref name="ns"/> (disco, roster).</summary>
    public static string Query(string ns) => $"<query xmlns='{XmlText.Escape(ns)}'/>";
}

