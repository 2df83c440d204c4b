using System.Security.Cryptography;

namespace XSend.Xmpp.Sasl;

/// <summary>SCRAM-SHA-512 (draft-melnikov-scram-sha-512).</summary>
public sealed class ScramSha512Mechanism : ScramMechanism
{
    /// <summary>Creates the mechanism for a user name and password.</summary>
    public ScramSha512Mechanism(string username, string password)
        : this(username, password, null)
    {
    }

    internal ScramSha512Mechanism(string username, string password, string? clientNonce)
        : base("SCRAM-SHA-512", HashAlgorithmName.SHA512, username, password, clientNonce)
    {
    }
}
