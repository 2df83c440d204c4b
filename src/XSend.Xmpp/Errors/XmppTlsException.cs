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
    /// <remarks>
    /// A STARTTLS &lt;failure/&gt; arrives before TLS and cannot be authenticated (RFC 6120 §5.4.2.2
    /// lets the server close the stream after it), and neither can the records of a handshake that
    /// broke before any key was verified (garbage after &lt;proceed/&gt;): anyone on the path can
    /// cause both, so they are retried, then queued. Certificate failures are final.
    /// </remarks>
    public override bool IsTransient => Failure is TlsFailure.RefusedByServer or TlsFailure.HandshakeFailed;
}
