using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary>What one delivery run achieved.</summary>
/// <param name="Report">The whole report: queued alerts first, then the run's own.</param>
/// <param name="Alerts">The results of the run's own alerts alone.</param>
/// <param name="OutboxProblem">Why the outbox could not be used (locked, listed) this run, or null.</param>
/// <param name="ReceiptWait">How long the run waited for delivery receipts, or null if it did not wait.</param>
internal sealed record DeliveryOutcome(SendReport Report, IReadOnlyList<MessageResult> Alerts, string? OutboxProblem, TimeSpan? ReceiptWait);
