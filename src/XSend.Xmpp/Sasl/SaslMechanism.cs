namespace XSend.Xmpp.Sasl;

/// <summary>
/// One SASL mechanism (RFC 4422). A mechanism only turns bytes into bytes: the client owns
/// base64 and the <c>&lt;auth/&gt;</c>, <c>&lt;challenge/&gt;</c>, <c>&lt;response/&gt;</c> and
/// <c>&lt;success/&gt;</c> elements.
/// </summary>
public abstract class SaslMechanism
{
    /// <summary>The IANA-registered mechanism name, for example <c>SCRAM-SHA-256</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The client's initial response, sent inside <c>&lt;auth/&gt;</c>.</summary>
    public abstract byte[] GetInitialResponse();

    /// <summary>Computes the response to a server challenge.</summary>
    /// <exception cref="Errors.XmppAuthenticationException">The challenge is malformed or unacceptable.</exception>
    public abstract byte[] EvaluateChallenge(ReadOnlySpan<byte> challenge);

    /// <summary>
    /// Checks the additional data that came with <c>&lt;success/&gt;</c>. Mechanisms that
    /// authenticate the server (SCRAM) throw if the server has not proven itself by now.
    /// </summary>
    /// <exception cref="Errors.XmppAuthenticationException">The server did not prove it knows the password.</exception>
    public abstract void VerifySuccess(ReadOnlySpan<byte> additionalData);
}
