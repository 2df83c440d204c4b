namespace XSend.Serve;

/// <summary>What became of a webhook's message.</summary>
internal enum WebhookDisposition
{
    /// <summary>Acked by the XMPP server.</summary>
    Delivered,

    /// <summary>Durably written (fsync'd) to the outbox; sent when the server is back.</summary>
    Queued,

    /// <summary>Neither: the caller must retry (503).</summary>
    Failed,
}

/// <summary>The outcome of one webhook: its disposition, why it failed, and whether it was a duplicate of one already handled.</summary>
internal sealed record WebhookOutcome(WebhookDisposition Disposition, string? Error = null)
{
    /// <summary>Dropped as a copy of a notification delivered or queued within the window.</summary>
    public bool Duplicate { get; init; }

    /// <summary>Delivered or queued: the webhook may be answered 2xx.</summary>
    public bool Accepted => Disposition != WebhookDisposition.Failed;
}
