namespace XSend.Xmpp.Sasl;

/// <summary>HT-SHA-256-ENDP: a FAST token login bound to the server's certificate (tls-server-end-point).</summary>
public sealed class HtSha256EndpMechanism(string username, string token, ChannelBinding binding)
    : HashedTokenMechanism(MechanismName, username, token, binding.Data)
{
    /// <summary>The mechanism name.</summary>
    public const string MechanismName = "HT-SHA-256-ENDP";
}
