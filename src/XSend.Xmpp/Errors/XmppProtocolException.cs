namespace XSend.Xmpp.Errors;

/// <summary>
/// The server broke the protocol: malformed XML, an unexpected element, a missing required
/// feature, or a stanza larger than the client accepts.
/// </summary>
public sealed class XmppProtocolException : XmppException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the server did wrong.</param>
    /// <param name="innerException">The parser's or reader's exception, if any.</param>
    /// <param name="unverified">Whether it happened before TLS protected the stream (anyone on the path could have caused it).</param>
    public XmppProtocolException(string message, Exception? innerException = null, bool unverified = false)
        : base(unverified ? message + " before TLS (unverified, so treated as temporary)" : message, innerException)
    {
        Unverified = unverified;
    }

    /// <summary>
    /// Whether the violation happened before TLS: the bytes cannot be authenticated, so it is
    /// never final (injected garbage on the path must not cost an alert).
    /// </summary>
    public bool Unverified { get; }

    /// <inheritdoc/>
    public override bool IsTransient => Unverified;
}
