using System.Security.Cryptography;

namespace XSend.Xmpp.Sasl;

/// <summary>SCRAM-SHA-512-PLUS: SCRAM-SHA-512 bound to the TLS channel (RFC 5802 §6).</summary>
public sealed class ScramSha512PlusMechanism : ScramMechanism
{
    /// <summary>Creates the mechanism for a user name and password, bound with <paramref name="binding"/>.</summary>
    public ScramSha512PlusMechanism(string username, string password, ChannelBinding binding)
        : this(username, password, binding, null)
    {
    }

    internal ScramSha512PlusMechanism(string username, string password, ChannelBinding binding, string? clientNonce)
        : base("SCRAM-SHA-512-PLUS", HashAlgorithmName.SHA512, username, password, clientNonce, binding ?? throw new ArgumentNullException(nameof(binding)))
    {
    }
}
