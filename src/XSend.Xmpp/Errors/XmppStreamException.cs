namespace XSend.Xmpp.Errors;

/// <summary>
/// The server ended the stream with a <c>&lt;stream:error/&gt;</c> (RFC 6120 §4.9).
/// Carries the server's own defined condition and text.
/// </summary>
public sealed class XmppStreamException : XmppException
{
    // RFC 6120 §4.9.3: conditions after which reconnecting later is reasonable.
    private static readonly HashSet<string> TransientConditions = new(StringComparer.Ordinal)
    {
        "connection-timeout", "reset", "resource-constraint", "see-other-host", "system-shutdown",
    };

    /// <summary>Creates the exception.</summary>
    public XmppStreamException(string condition, string? text, string? seeOtherHost = null)
        : base(Describe(condition, text))
    {
        Condition = condition;
        Text = text;
        SeeOtherHost = seeOtherHost;
    }

    /// <summary>The defined condition, for example <c>host-unknown</c> or <c>system-shutdown</c>.</summary>
    public string Condition { get; }

    /// <summary>The server's human-readable text, if it sent one.</summary>
    public string? Text { get; }

    /// <summary>For <c>see-other-host</c>, the host the server redirects to.</summary>
    public string? SeeOtherHost { get; }

    /// <inheritdoc/>
    public override bool IsTransient => TransientConditions.Contains(Condition);

    private static string Describe(string condition, string? text) =>
        text is null ? $"server ended the stream: {condition}" : $"server ended the stream: {condition} ({text})";
}
