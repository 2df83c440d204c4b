namespace XSend.Cli.Outbox;

/// <summary>
/// The unsent alerts of one run in one outbox file, so a run queues one atomic file however
/// many messages it had (a file holding a single <see cref="OutboxEntry"/> is the other form).
/// </summary>
/// <param name="Alerts">The alerts, in the order they were to be sent.</param>
internal sealed record OutboxBatch(List<OutboxEntry>? Alerts);
