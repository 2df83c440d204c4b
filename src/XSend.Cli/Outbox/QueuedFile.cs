namespace XSend.Cli.Outbox;

/// <summary>One readable outbox file and the alerts it holds, in order.</summary>
internal sealed record QueuedFile(string Path, IReadOnlyList<OutboxEntry> Alerts);
