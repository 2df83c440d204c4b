using System.Text;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Sasl;

/// <summary>
/// SASL PLAIN (RFC 4616). It sends the password itself, so <see cref="SaslMechanismRanking"/>
/// only offers it inside TLS.
/// </summary>
public sealed class PlainMechanism(string username, string password) : SaslMechanism
{
    /// <inheritdoc/>
    public override string Name => "PLAIN";

    /// <inheritdoc/>
    public override byte[] GetInitialResponse() =>
        // RFC 4616 §2: [authzid] NUL authcid NUL passwd; the authzid is left empty.
        Encoding.UTF8.GetBytes($"\0{SaslPrep.Prepare(username)}\0{SaslPrep.Prepare(password)}");

    /// <inheritdoc/>
    public override byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge) =>
        throw new XmppAuthenticationException("invalid-challenge", null, "authentication failed: the server sent a challenge to PLAIN");

    /// <inheritdoc/>
    public override void VerifySuccess(ReadOnlySpan<byte> additionalData)
    {
        if (!additionalData.IsEmpty)
            throw new XmppAuthenticationException("invalid-challenge", null, "authentication failed: unexpected data with PLAIN success");
    }
}
