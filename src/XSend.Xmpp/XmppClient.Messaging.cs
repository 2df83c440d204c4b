using XSend.Xmpp.Errors;

namespace XSend.Xmpp;

// The public face of Session/Messaging: sending, confirming, receiving.
public sealed partial class XmppClient
{
    /// <summary>
    /// Confirms every message still unacked on this stream (those resent after resumption, say):
    /// one ack request, then <paramref name="onConfirmed"/> for each, with its bounce if any.
    /// </summary>
    internal Task ConfirmOutstandingAsync(Action<string, XmppStanzaException?> onConfirmed, CancellationToken cancellationToken) =>
        MessagingService.ConfirmOutstandingAsync(onConfirmed, cancellationToken);

    /// <summary>
    /// Sends a message and waits until the server confirms it took it: the XEP-0198 ack that
    /// covers it, or, without stream management, the answer to a ping sent after it (the server
    /// handles a session's stanzas in order). A bounce for the message that arrives first is
    /// raised as <see cref="XmppStanzaException"/>. A groupchat message is confirmed when the
    /// room reflects it.
    /// </summary>
    /// <returns>The message's id.</returns>
    public Task<string> SendMessageAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireSession();
        return MessagingService.SendMessageAsync(message, cancellationToken);
    }

    /// <summary>
    /// Sends messages pipelined in windows: each window is written at once and confirmed by one
    /// ack (or ping), instead of one round trip per message. <paramref name="onConfirmed"/> is
    /// called for each message once its window is confirmed, with the bounce if it was rejected.
    /// Messages of a window that was not confirmed (the connection failed) are not reported.
    /// </summary>
    public Task SendBatchAsync(
        IReadOnlyList<OutgoingMessage> messages, int windowSize, Action<int, XmppStanzaException?> onConfirmed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(onConfirmed);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        RequireSession();
        return MessagingService.SendBatchAsync(messages, windowSize, onConfirmed, cancellationToken);
    }

    /// <summary>Sends initial presence, making the session available (and offline messages flow in).</summary>
    public Task SendPresenceAsync(CancellationToken cancellationToken = default)
    {
        RequireSession();
        return MessagingService.SendPresenceAsync(cancellationToken);
    }

    /// <summary>Waits for the next message stanza with a body, answering pings and acks meanwhile.</summary>
    public Task<ReceivedMessage> ReceiveMessageAsync(CancellationToken cancellationToken = default)
    {
        RequireSession();
        return MessagingService.ReceiveMessageAsync(cancellationToken);
    }

    /// <summary>Waits until the recipient's client confirms it received message <paramref name="messageId"/> (XEP-0184).</summary>
    public Task WaitForReceiptAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        RequireSession();
        return MessagingService.WaitForReceiptAsync(messageId, cancellationToken);
    }

    /// <summary>Waits for the next presence stanza (for watching a room or a contact), handling everything else meanwhile.</summary>
    public Task<ReceivedPresence> ReceivePresenceAsync(CancellationToken cancellationToken = default)
    {
        RequireSession();
        return MessagingService.ReceivePresenceAsync(cancellationToken);
    }
}
