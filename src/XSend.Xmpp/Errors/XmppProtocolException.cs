namespace XSend.Xmpp.Errors;

/// <summary>
/// The server broke the protocol: malformed XML, an unexpected element, a missing required
/// feature, or a stanza larger than the client accepts.
/// </summary>
public sealed class XmppProtocolException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppProtocolException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <inheritdoc/>
    public override bool IsTransient => false;
}
