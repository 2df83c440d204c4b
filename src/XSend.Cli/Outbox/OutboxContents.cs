namespace XSend.Cli.Outbox;

/// <summary>What the outbox holds, as read (reading changes nothing).</summary>
/// <param name="Files">The queued files, oldest first.</param>
/// <param name="Rejected">Alerts set aside as undeliverable, with their reasons.</param>
/// <param name="Unreadable">Files that cannot be read or parsed (and <c>.corrupt</c> files set aside earlier), with the problem.</param>
internal sealed record OutboxContents(
    IReadOnlyList<QueuedFile> Files,
    IReadOnlyList<(string Path, RejectedAlert Alert)> Rejected,
    IReadOnlyList<(string Path, string Problem)> Unreadable)
{
    public static readonly OutboxContents Empty = new([], [], []);
}
