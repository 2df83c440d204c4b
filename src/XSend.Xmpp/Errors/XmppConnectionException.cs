namespace XSend.Xmpp.Errors;

/// <summary>The TCP connection could not be made, or it was lost mid-conversation.</summary>
public sealed class XmppConnectionException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppConnectionException(ConnectionFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What went wrong.</summary>
    public ConnectionFailure Failure { get; }

    /// <inheritdoc/>
    public override bool IsTransient => Failure != ConnectionFailure.HostNotFound;
}
