using System.Security.Cryptography;

namespace XSend.Xmpp.Sasl;

/// <summary>SCRAM-SHA-1 (RFC 5802).</summary>
public sealed class ScramSha1Mechanism : ScramMechanism
{
    /// <summary>Creates the mechanism for a user name and password.</summary>
    public ScramSha1Mechanism(string username, string password)
        : this(username, password, null)
    {
    }

    internal ScramSha1Mechanism(string username, string password, string? clientNonce)
        : base("SCRAM-SHA-1", HashAlgorithmName.SHA1, username, password, clientNonce)
    {
    }
}
