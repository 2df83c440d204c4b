using System.Security.Cryptography;
using System.Text;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Sasl;

/// <summary>
/// The Hashed Token mechanisms (draft-ietf-kitten-sasl-ht) that XEP-0484 (FAST) uses to log in
/// with a server-issued token in one round trip: the client proves it holds the token, and the
/// server proves it issued it.
/// </summary>
public abstract class HashedTokenMechanism : SaslMechanism
{
    private readonly string _username;
    private readonly byte[] _token;
    private readonly byte[] _bindingData;
    private bool _sentInitial;

    /// <summary>Creates the mechanism.</summary>
    /// <param name="name">The mechanism name, for example <c>HT-SHA-256-NONE</c>.</param>
    /// <param name="username">The authentication identity (the JID's localpart).</param>
    /// <param name="token">The token the server issued.</param>
    /// <param name="bindingData">The channel-binding data (empty for -NONE).</param>
    private protected HashedTokenMechanism(string name, string username, string token, byte[] bindingData)
    {
        Name = name;
        _username = username;
        _token = Encoding.UTF8.GetBytes(token);
        _bindingData = bindingData;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override byte[] GetInitialResponse()
    {
        _sentInitial = true;
        // draft-ietf-kitten-sasl-ht §3.1: authcid NUL HMAC(token, "Initiator" || cb-data).
        return [.. Encoding.UTF8.GetBytes(_username), 0, .. Hmac("Initiator")];
    }

    /// <inheritdoc/>
    public override byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge) =>
        // One round trip: the mechanism has no challenges.
        throw new XmppAuthenticationException("invalid-challenge", null, $"{Name} takes no challenge, but the server sent one");

    /// <inheritdoc/>
    public override void VerifySuccess(ReadOnlySpan<byte> additionalData)
    {
        // draft-ietf-kitten-sasl-ht §3.2: the server answers HMAC(token, "Responder" || cb-data).
        if (!_sentInitial || !CryptographicOperations.FixedTimeEquals(additionalData, Hmac("Responder")))
            throw new XmppAuthenticationException("server-signature-mismatch", null,
                "the server did not prove it issued the login token; it may not be the real server");
    }

    private byte[] Hmac(string label)
    {
        byte[] message = [.. Encoding.ASCII.GetBytes(label), .. _bindingData];
        return HMACSHA256.HashData(_token, message);
    }
}
