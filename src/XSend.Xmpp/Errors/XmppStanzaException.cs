namespace XSend.Xmpp.Errors;

/// <summary>
/// The server (or the recipient's server) answered a stanza with an error (RFC 6120 §8.3).
/// </summary>
public sealed class XmppStanzaException : XmppException
{
    /// <summary>Creates the exception.</summary>
    public XmppStanzaException(StanzaKind stanzaKind, StanzaErrorType errorType, string condition, string? text, string? from)
        : base(Describe(stanzaKind, condition, text, from))
    {
        StanzaKind = stanzaKind;
        ErrorType = errorType;
        Condition = condition;
        Text = text;
        From = from;
    }

    /// <summary>What the error answers: a message, a presence (a room join) or an IQ.</summary>
    public StanzaKind StanzaKind { get; }

    /// <summary>The error type (RFC 6120 §8.3.2): cancel, auth, continue, modify or wait.</summary>
    public StanzaErrorType ErrorType { get; }

    /// <summary>The defined condition, for example <c>service-unavailable</c>.</summary>
    public string Condition { get; }

    /// <summary>The server's human-readable text, if any.</summary>
    public string? Text { get; }

    /// <summary>The entity that returned the error, if given.</summary>
    public string? From { get; }

    /// <inheritdoc/>
    public override bool IsTransient => ErrorType == StanzaErrorType.Wait;

    /// <summary>Reads an error's <c>type</c> attribute; RFC 6120 §8.3.2 requires one of five, anything else counts as cancel.</summary>
    public static StanzaErrorType ParseErrorType(string? type) => type switch
    {
        "auth" => StanzaErrorType.Auth,
        "continue" => StanzaErrorType.Continue,
        "modify" => StanzaErrorType.Modify,
        "wait" => StanzaErrorType.Wait,
        _ => StanzaErrorType.Cancel,
    };

    private static string Describe(StanzaKind kind, string condition, string? text, string? from)
    {
        string who = from is null ? "server" : from;
        string what = kind switch
        {
            StanzaKind.Message => "message rejected",
            StanzaKind.Presence => "presence rejected",
            _ => "iq rejected",
        };
        return text is null ? $"{what} by {who}: {condition}" : $"{what} by {who}: {condition} ({text})";
    }
}
