using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Logging;

/// <summary>Hides SASL payloads and FAST tokens in protocol log lines.</summary>
internal static class ProtocolRedactor
{
    public const string Placeholder = "[redacted]";

    /// <summary>Renders a server element for the log, hiding SASL challenge and success data and issued tokens.</summary>
    public static string Render(XElement element, bool includeSecrets)
    {
        if (includeSecrets)
            return element.ToString(SaveOptions.DisableFormatting);
        if (element.Name.Namespace == Namespaces.Sasl && !element.IsEmpty && element.Name.LocalName is "challenge" or "success")
            return new XElement(element.Name, element.Attributes(), Placeholder).ToString(SaveOptions.DisableFormatting);
        if (element.Name.Namespace == Namespaces.Sasl2 && element.Name.LocalName is "challenge" or "success" or "continue")
            return RedactSasl2(element).ToString(SaveOptions.DisableFormatting);
        return element.ToString(SaveOptions.DisableFormatting);
    }

    // XEP-0388: the mechanism's data travels as text (<challenge/>) or in <additional-data/>;
    // XEP-0484 §3.2: an issued token is the 'token' attribute of <token/>. The rest (the bound
    // JID, Bind2 results) stays readable.
    private static XElement RedactSasl2(XElement element)
    {
        var copy = new XElement(element);
        if (element.Name.LocalName == "challenge" && !copy.IsEmpty)
            copy.Value = Placeholder;
        foreach (XElement data in copy.Elements(XName.Get("additional-data", Namespaces.Sasl2)))
            data.Value = Placeholder;
        foreach (XElement token in copy.Descendants(XName.Get("token", Namespaces.Fast)))
            token.SetAttributeValue("token", Placeholder);
        return copy;
    }
}
