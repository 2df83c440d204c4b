namespace XSend.Xmpp;

/// <summary>A message to send.</summary>
/// <param name="To">The recipient.</param>
/// <param name="Body">The text. Characters XML 1.0 forbids are removed before sending.</param>
public sealed record OutgoingMessage(Jid To, string Body)
{
    /// <summary>The message type; <see cref="MessageType.Chat"/> by default, as xsend.py sent.</summary>
    public MessageType Type { get; init; } = MessageType.Chat;

    /// <summary>An optional subject.</summary>
    public string? Subject { get; init; }

    /// <summary>
    /// The stanza id, also sent as the XEP-0359 origin-id. Leave <see langword="null"/> to get a
    /// fresh random one; set it to resend the same alert so receivers can drop duplicates.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>
    /// When the alert really happened, for one sent late (from the outbox): sent as an XEP-0203
    /// delay stamp so receivers show the original time.
    /// </summary>
    public DateTimeOffset? Delay { get; init; }

    /// <summary>Ask the recipient's client for an XEP-0184 delivery receipt.</summary>
    public bool RequestReceipt { get; init; }
}
