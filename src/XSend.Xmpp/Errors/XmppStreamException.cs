namespace XSend.Xmpp.Errors;

/// <summary>
/// The server ended the stream with a <c>&lt;stream:error/&gt;</c> (RFC 6120 §4.9).
/// Carries the server's own defined condition and text.
/// </summary>
public sealed class XmppStreamException : XmppException
{
    // RFC 6120 §4.9.3: conditions after which reconnecting later is reasonable. internal-server-error
    // (§4.9.3.8, e.g. a server whose database is down) and remote-connection-failed (§4.9.3.15, an
    // authentication backend out of reach) are the server's passing trouble, not the alert's.
    private static readonly HashSet<string> TransientConditions = new(StringComparer.Ordinal)
    {
        "connection-timeout", "internal-server-error", "remote-connection-failed", "reset", "resource-constraint", "see-other-host",
        "system-shutdown",
    };

    /// <summary>Creates the exception.</summary>
    /// <param name="condition">The defined condition.</param>
    /// <param name="text">The server's text, if any.</param>
    /// <param name="seeOtherHost">For <c>see-other-host</c>, the host named.</param>
    /// <param name="unverified">Whether it arrived before TLS protected the stream (anyone on the path could have sent it).</param>
    public XmppStreamException(string condition, string? text, string? seeOtherHost = null, bool unverified = false)
        : base(Describe(condition, text, unverified))
    {
        Condition = condition;
        Text = text;
        SeeOtherHost = seeOtherHost;
        Unverified = unverified;
    }

    /// <summary>
    /// Whether the error arrived before TLS: it cannot be authenticated, so it is never final
    /// (a forged <c>host-unknown</c> must not cost an alert).
    /// </summary>
    public bool Unverified { get; }

    /// <summary>The defined condition, for example <c>host-unknown</c> or <c>system-shutdown</c>.</summary>
    public string Condition { get; }

    /// <summary>The server's human-readable text, if it sent one.</summary>
    public string? Text { get; }

    /// <summary>For <c>see-other-host</c>, the host the server redirects to.</summary>
    public string? SeeOtherHost { get; }

    /// <inheritdoc/>
    // conflict: with Bind2 another session of the account took our resource ("Replaced by new
    // connection"); the next attempt gets its own.
    public override bool IsTransient => Unverified || Condition == "conflict" || TransientConditions.Contains(Condition);

    private static string Describe(string condition, string? text, bool unverified) =>
        (text is null ? $"server ended the stream: {condition}" : $"server ended the stream: {condition} ({text})")
        + (unverified ? " before TLS (unverified, so treated as temporary)" : "");
}
