using XSend.Xmpp;

namespace XSend.Serve;

/// <summary>
/// The bridge's one seam to XMPP: delivers a webhook's messages (acked by the server) or queues
/// them durably, and says whether the server is reachable. Today's implementation opens a
/// connection per webhook (<see cref="PerWebhookDelivery"/>); a long-lived session replaces it.
/// </summary>
internal interface IWebhookDelivery
{
    /// <summary>Whether the last contact with the XMPP server succeeded (for /readyz).</summary>
    bool IsReady { get; }

    /// <summary>Delivers <paramref name="messages"/>, or writes them to the outbox when the server is down.</summary>
    Task<WebhookOutcome> DeliverAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Tries the server and sends what the outbox holds; called on start and periodically (reconnect).</summary>
    Task RecoverAsync(CancellationToken cancellationToken = default);
}
