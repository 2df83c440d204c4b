using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Logging;

/// <summary>
/// Hides secrets in protocol log lines, in both directions, wherever they are written: the one
/// table below says what is secret, and every line the <see cref="ProtocolLogger"/> receives
/// passes through here. Lines that carry nothing secret are logged exactly as sent or rendered;
/// a line that does is rendered again from a copy with the secrets replaced.
/// </summary>
internal static partial class ProtocolRedactor
{
    public const string Placeholder = "[redacted]";

    // What is secret. Element content: the SASL payloads (RFC 6120 §6.4: the password, or a proof
    // derived from it, and the server's proof), the SASL2 ones (XEP-0388 §2: <initial-response/>,
    // <response/>, <challenge/>, <additional-data/> anywhere inside <authenticate/>, <success/>,
    // <continue/>), and any element named password in any namespace (XEP-0045 §7.2.6 room
    // passwords, XEP-0077 registration, XEP-0078 auth).
    private static readonly HashSet<XName> SecretContent =
    [
        XName.Get("auth", Namespaces.Sasl), XName.Get("response", Namespaces.Sasl),
        XName.Get("challenge", Namespaces.Sasl), XName.Get("success", Namespaces.Sasl),
        XName.Get("initial-response", Namespaces.Sasl2), XName.Get("response", Namespaces.Sasl2),
        XName.Get("challenge", Namespaces.Sasl2), XName.Get("additional-data", Namespaces.Sasl2),
    ];

    private const string SecretContentLocalName = "password";

    // Secret attributes: XEP-0484 §3.2, an issued FAST token is the 'token' attribute of <token/>.
    private static readonly Dictionary<XName, XName> SecretAttributes = new()
    {
        [XName.Get("token", Namespaces.Fast)] = "token",
    };

    /// <summary>Redacts a line of XML text (what the client wrote, or a line built for the log).</summary>
    public static string Redact(string xml)
    {
        List<XNode>? nodes = TryParseFragment(xml);
        if (nodes is null)
        {
            // The stream header and its close are not well-formed alone; they carry nothing secret.
            // Anything else that does not parse is withheld rather than guessed at.
            return StreamFraming().IsMatch(xml) ? xml : $"[{xml.Length} characters of unparsable XML not logged]";
        }
        if (!nodes.OfType<XElement>().Any(HasSecret))
            return xml;
        return string.Concat(nodes.Select(n => n is XElement e ? Render(e) : n.ToString(SaveOptions.DisableFormatting)));
    }

    /// <summary>Renders an element for the log with its secrets replaced.</summary>
    public static string Render(XElement element)
    {
        if (!HasSecret(element))
            return element.ToString(SaveOptions.DisableFormatting);
        var copy = new XElement(element);
        foreach (XElement e in copy.DescendantsAndSelf().ToList())
        {
            if (IsSecretContent(e.Name) && !e.IsEmpty)
                e.ReplaceNodes(Placeholder);
            if (SecretAttributes.TryGetValue(e.Name, out XName? attribute) && e.Attribute(attribute) is { } value)
                value.Value = Placeholder;
        }
        return copy.ToString(SaveOptions.DisableFormatting);
    }

    private static bool HasSecret(XElement element) =>
        element.DescendantsAndSelf().Any(e => (IsSecretContent(e.Name) && !e.IsEmpty)
            || (SecretAttributes.TryGetValue(e.Name, out XName? attribute) && e.Attribute(attribute) is not null));

    private static bool IsSecretContent(XName name) => SecretContent.Contains(name) || name.LocalName == SecretContentLocalName;

    private static List<XNode>? TryParseFragment(string xml)
    {
        var settings = new XmlReaderSettings
        {
            ConformanceLevel = ConformanceLevel.Fragment,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            var nodes = new List<XNode>();
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.CDATA)
                    nodes.Add(XNode.ReadFrom(reader));
                else
                    reader.Read();
            }
            return nodes;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    // An optional declaration, then <stream:stream …> without any other markup, or </stream:stream>.
    [GeneratedRegex(@"^(<\?xml[^<>]*\?>)?\s*(<stream:stream\b[^<>]*>|</stream:stream>)$")]
    private static partial Regex StreamFraming();
}
