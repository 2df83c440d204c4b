namespace XSend.Xmpp.Errors;

/// <summary>
/// SASL authentication failed (RFC 6120 §6.5), or the client refused to continue it
/// (no acceptable mechanism, a server signature that does not verify).
/// </summary>
public sealed class XmppAuthenticationException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppAuthenticationException(string condition, string? text, string message)
        : base(message)
    {
        Condition = condition;
        Text = text;
    }

    /// <summary>
    /// The SASL condition from the server (for example <c>not-authorized</c>), or a client-side
    /// condition: <c>no-acceptable-mechanism</c>, <c>server-signature-mismatch</c>, <c>invalid-challenge</c>.
    /// </summary>
    public string Condition { get; }

    /// <summary>The server's human-readable text, if any.</summary>
    public string? Text { get; }

    /// <summary>Whether the server refused (a SASL &lt;failure/&gt;), rather than the client giving up.</summary>
    public bool IsServerFailure { get; private init; }

    /// <inheritdoc/>
    public override bool IsTransient => Condition == "temporary-auth-failure";

    /// <summary>Builds the exception for a server's <c>&lt;failure/&gt;</c>.</summary>
    public static XmppAuthenticationException FromServer(string condition, string? text) =>
        new(condition, text, text is null ? $"authentication failed: {condition}" : $"authentication failed: {condition} ({text})")
        {
            IsServerFailure = true,
        };
}
