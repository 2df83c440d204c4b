using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Negotiation;

/// <summary>
/// The wire differences between the two SASL profiles, so that one exchange loop serves both:
/// RFC 6120 §6 and XEP-0388 (SASL2).
/// </summary>
/// <param name="Label">"SASL" or "SASL2", for messages.</param>
/// <param name="Namespace">The namespace of the server's replies.</param>
/// <param name="Response">Builds the response to a challenge from its base64 payload.</param>
/// <param name="Abort">The abort element (RFC 6120 §6.4.4).</param>
/// <param name="SuccessDataIsChild">
/// Whether the mechanism's final data is in &lt;additional-data/&gt; (XEP-0388 §2.6.1) rather than
/// the text of &lt;success/&gt; (RFC 6120 §6.3.10).
/// </param>
/// <param name="MayContinue">Whether the server may answer &lt;continue/&gt; (XEP-0388 §2.6.3).</param>
internal sealed record SaslProfile(
    string Label, string Namespace, Func<string, string> Response, string Abort, bool SuccessDataIsChild, bool MayContinue)
{
    /// <summary>RFC 6120 §6.</summary>
    public static SaslProfile Sasl { get; } = new("SASL", Namespaces.Sasl, ClientXml.Response, ClientXml.Abort, false, false);

    /// <summary>XEP-0388.</summary>
    public static SaslProfile Sasl2 { get; } = new("SASL2", Namespaces.Sasl2, ClientXml.Sasl2Response, ClientXml.Sasl2Abort, true, true);
}
