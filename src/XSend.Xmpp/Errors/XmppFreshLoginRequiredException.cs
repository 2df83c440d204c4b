namespace XSend.Xmpp.Errors;

/// <summary>
/// The server refused the stored FAST token (XEP-0484), which is now forgotten, and then would not
/// take the password on the same stream either (Prosody's mod_sasl2_fast answers
/// <c>invalid-mechanism</c>). Nothing is wrong with the account as far as anyone knows: a new
/// connection logs in with the password. Always temporary, so a send retries rather than losing
/// the alert.
/// </summary>
public sealed class XmppFreshLoginRequiredException : XmppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="tokenRefusal">The server's refusal of the token.</param>
    /// <param name="passwordFailure">The failure of the password attempt on the same stream.</param>
    public XmppFreshLoginRequiredException(XmppAuthenticationException tokenRefusal, XmppAuthenticationException passwordFailure)
        : base($"the server refused the stored FAST token ({tokenRefusal.Condition}) and then the password on the same stream "
            + $"({passwordFailure.Condition}); the token is forgotten and the next connection logs in with the password", passwordFailure)
    {
        TokenRefusal = tokenRefusal;
    }

    /// <summary>The server's refusal of the token.</summary>
    public XmppAuthenticationException TokenRefusal { get; }

    /// <inheritdoc/>
    public override bool IsTransient => true;
}
