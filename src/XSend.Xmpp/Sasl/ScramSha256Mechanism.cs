using System.Security.Cryptography;

namespace XSend.Xmpp.Sasl;

/// <summary>SCRAM-SHA-256 (RFC 7677).</summary>
public sealed class ScramSha256Mechanism : ScramMechanism
{
    /// <summary>Creates the mechanism for a user name and password.</summary>
    public ScramSha256Mechanism(string username, string password)
        : this(username, password, null)
    {
    }

    internal ScramSha256Mechanism(string username, string password, string? clientNonce)
        : base("SCRAM-SHA-256", HashAlgorithmName.SHA256, username, password, clientNonce)
    {
    }
}
