namespace XSend.Cli.Outbox;

/// <summary>A queued alert set aside because it can never be delivered (a <c>.rejected</c> file): kept for the operator, never resent.</summary>
/// <param name="Alert">The alert as it was queued (fields may be missing when the entry was malformed).</param>
/// <param name="Reason">Why it was set aside: the server's refusal, or what is wrong with the entry.</param>
/// <param name="SetAside">When it was set aside.</param>
internal sealed record RejectedAlert(OutboxEntry Alert, string Reason, DateTimeOffset SetAside);
