using System.Security.Cryptography;

namespace XSend.Xmpp.Sasl;

/// <summary>SCRAM-SHA-256-PLUS: SCRAM-SHA-256 bound to the TLS channel (RFC 5802 §6).</summary>
public sealed class ScramSha256PlusMechanism : ScramMechanism
{
    /// <summary>Creates the mechanism for a user name and password, bound with <paramref name="binding"/>.</summary>
    public ScramSha256PlusMechanism(string username, string password, ChannelBinding binding)
        : this(username, password, binding, null)
    {
    }

    internal ScramSha256PlusMechanism(string username, string password, ChannelBinding binding, string? clientNonce)
        : base("SCRAM-SHA-256-PLUS", HashAlgorithmName.SHA256, username, password, clientNonce, binding ?? throw new ArgumentNullException(nameof(binding)))
    {
    }
}
