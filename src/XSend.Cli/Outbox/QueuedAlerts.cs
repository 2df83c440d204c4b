using XSend.Xmpp;

namespace XSend.Cli.Outbox;

/// <summary>Converts between outbox entries and messages.</summary>
internal static class QueuedAlerts
{
    public static OutboxEntry ToEntry(OutgoingMessage message, Jid account, DateTimeOffset created, string? lastError) =>
        new(message.Id!, account.Bare.ToString(), message.To.ToString(), message.Body, message.Type.ToWireName(), message.Subject, created, lastError);

    /// <summary>The message as first sent: same id, plus the time it was raised as a delay stamp.</summary>
    public static OutgoingMessage ToMessage(OutboxEntry entry) =>
        new(Jid.Parse(entry.To), entry.Body)
        {
            Id = entry.Id,
            Type = entry.Type switch { "normal" => MessageType.Normal, "headline" => MessageType.Headline, _ => MessageType.Chat },
            Subject = entry.Subject,
            Delay = entry.Created,
        };
}
