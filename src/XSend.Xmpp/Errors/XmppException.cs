namespace XSend.Xmpp.Errors;

/// <summary>
/// Base of every error the XMPP client raises. Subclasses are typed by layer: connection,
/// TLS, stream/protocol, authentication, stanza and timeout.
/// </summary>
public abstract class XmppException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    protected XmppException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether trying again later may succeed (a dropped connection, a shutting-down server),
    /// as opposed to a permanent failure (bad credentials, an untrusted certificate).
    /// </summary>
    public abstract bool IsTransient { get; }
}
