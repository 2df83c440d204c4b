using System.Text;
using XSend.Cli.Input;
using XSend.Xmpp;

namespace XSend.Cli.Outbox;

/// <summary>Converts between outbox entries and messages, and checks entries read back from disk.</summary>
internal static class QueuedAlerts
{
    public static OutboxEntry ToEntry(OutgoingMessage message, Jid account, DateTimeOffset created, string? lastError) =>
        new(message.Id!, account.Bare.ToString(), message.To.ToString(), message.Body, message.Type.ToWireName(), message.Subject, created, lastError);

    /// <summary>The message as first sent: same id, plus the time it was raised as a delay stamp.</summary>
    /// <remarks>Only for entries without a <see cref="Problem"/>.</remarks>
    public static OutgoingMessage ToMessage(OutboxEntry entry) =>
        new(Jid.Parse(entry.To), entry.Body)
        {
            Id = entry.Id,
            Type = ParseType(entry.Type) ?? MessageType.Chat,
            Subject = entry.Subject,
            Delay = entry.Created,
        };

    /// <summary>
    /// What is wrong with an entry read from disk (a hand-edited or truncated file, another
    /// version's format), or null when it can be sent. A malformed entry is set aside, never sent.
    /// </summary>
    public static string? Problem(OutboxEntry entry)
    {
        if (!IsSafeId(entry.Id))
            return "malformed queued alert: its Id is missing or not a plain token";
        if (!Jid.TryParse(entry.Account, out Jid? account, out _) || !account.IsBare)
            return $"malformed queued alert {entry.Id}: invalid Account '{entry.Account}'";
        if (!Jid.TryParse(entry.To, out _, out string? toError))
            return $"malformed queued alert {entry.Id}: invalid To '{entry.To}' ({toError})";
        if (string.IsNullOrWhiteSpace(entry.Body))
            return $"malformed queued alert {entry.Id}: no Body";
        if (Encoding.UTF8.GetByteCount(entry.Body) > MessageBodyReader.MaxBodyBytes)
            return $"malformed queued alert {entry.Id}: the Body is over {MessageBodyReader.MaxBodyBytes} bytes";
        if (entry.Type is not null && ParseType(entry.Type) is null)
            return $"malformed queued alert {entry.Id}: unknown Type '{entry.Type}'";
        if (entry.Created == default)
            return $"malformed queued alert {entry.Id}: no Created time";
        return null;
    }

    /// <summary>Whether an id is a plain token (it becomes part of a file name, so never a path).</summary>
    public static bool IsSafeId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static MessageType? ParseType(string? type) => type switch
    {
        null or "chat" => MessageType.Chat,
        "normal" => MessageType.Normal,
        "headline" => MessageType.Headline,
        "groupchat" => MessageType.Groupchat, // a room message: the sender joins the room again
        _ => null,
    };
}
