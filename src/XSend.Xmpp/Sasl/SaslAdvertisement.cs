using System.Text;

namespace XSend.Xmpp.Sasl;

/// <summary>What the server advertised before authentication: its mechanisms and (XEP-0440) channel-binding types.</summary>
/// <param name="Mechanisms">The offered SASL mechanisms.</param>
/// <param name="ChannelBindingTypes">The advertised channel-binding types, or <see langword="null"/> when the server did not use XEP-0440.</param>
public sealed record SaslAdvertisement(IReadOnlyCollection<string> Mechanisms, IReadOnlyCollection<string>? ChannelBindingTypes)
{
    /// <summary>
    /// The string XEP-0474 hashes: the sorted mechanisms joined by 0x1E, then, if XEP-0440 was
    /// used, 0x1F and the sorted channel-binding types joined by 0x1E (i;octet order).
    /// </summary>
    public byte[] DowngradeProtectionInput()
    {
        var text = new StringBuilder(string.Join('\u001e', Mechanisms.Order(StringComparer.Ordinal)));
        if (ChannelBindingTypes is not null)
            text.Append('\u001f').Append(string.Join('\u001e', ChannelBindingTypes.Order(StringComparer.Ordinal)));
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
