namespace XSend.Xmpp.Errors;

/// <summary>The channel could not be secured, or the server's certificate was not trusted.</summary>
public sealed class XmppTlsException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppTlsException(TlsFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What went wrong.</summary>
    public TlsFailure Failure { get; }

    /// <inheritdoc/>
    public override bool IsTransient => false;
}
