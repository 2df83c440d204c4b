using System.Xml.Linq;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Logging;

/// <summary>Hides SASL payloads in protocol log lines.</summary>
internal static class ProtocolRedactor
{
    public const string Placeholder = "[redacted]";

    /// <summary>Renders a server element for the log, hiding SASL challenge and success data.</summary>
    public static string Render(XElement element, bool includeSecrets)
    {
        if (includeSecrets || element.Name.Namespace != Namespaces.Sasl || element.IsEmpty
            || element.Name.LocalName is not ("challenge" or "success"))
        {
            return element.ToString(SaveOptions.DisableFormatting);
        }
        var copy = new XElement(element.Name, element.Attributes(), Placeholder);
        return copy.ToString(SaveOptions.DisableFormatting);
    }
}
