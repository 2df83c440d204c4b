using System.Diagnostics;
using XSend.Cli.Failures;
using XSend.Cli.Outbox;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary>
/// One delivery run: under the outbox's drain lock, sends the account's queued alerts first
/// (oldest first, original ids, delay stamps), then the new alerts, over one session.
/// Queued alerts the server accepted or bounced leave the outbox; the rest stay.
/// </summary>
internal static class AlertDelivery
{
    /// <returns>The whole report, and the results of <paramref name="alerts"/> alone.</returns>
    public static async Task<(SendReport Report, IReadOnlyList<MessageResult> Alerts)> RunAsync(
        Session session, OutboxStore? outbox, IReadOnlyList<OutgoingMessage> alerts, TimeSpan timeout, TextWriter stderr, CancellationToken cancellationToken,
        DeliveryOptions? delivery = null)
    {
        string account = session.Settings.Account.Bare.ToString();
        using IDisposable? drainLock = outbox?.TryLockForDraining();
        if (outbox is not null && drainLock is null)
            session.Narrator?.Write("another xsend is draining the outbox; sending only this alert");
        List<(string Path, OutboxEntry Entry)> queued = drainLock is null ? [] : outbox!.List(account, stderr, session.ClientOptions.TimeProvider.GetUtcNow());
        if (queued.Count > 0)
            session.Narrator?.Write($"{queued.Count} queued alert(s) in {outbox!.Directory} go first");

        List<OutgoingMessage> messages = [.. queued.Select(q => QueuedAlerts.ToMessage(q.Entry)), .. alerts];
        if (messages.Count == 0)
            return (new SendReport([], null, false), []);

        var sender = new SingleShotSender(session.Settings.Account, session.Settings.Password, session.ClientOptions)
        {
            Server = session.Server,
            Timeout = timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1),
            OverallTimeout = session.Timeout,
            SubscribeToRecipients = delivery?.Subscribe ?? false,
            RoomNick = delivery?.RoomNick,
            RoomPassword = delivery?.RoomPassword,
            ReceiptTimeout = session.ReceiptTimeout,
            Progress = session.Narrator,
        };
        SendReport report = await sender.SendAsync(messages, cancellationToken).ConfigureAwait(false);
        session.RememberMechanism(sender.Mechanism, stderr);

        for (int i = 0; i < queued.Count; i++)
        {
            MessageResult result = report.Results[i];
            if (result.Status == MessageStatus.NotSent)
                continue;
            OutboxStore.Remove(queued[i].Path);
            if (result.Status == MessageStatus.Rejected)
                FailureReporter.Print(stderr, $"warning: dropped queued alert {result.Id} to {result.Message.To}: {result.Rejection!.Message}");
            else
                session.Narrator?.Write($"queued alert {result.Id} from {queued[i].Entry.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC delivered");
        }
        return (report, report.Results.Skip(queued.Count).ToList());
    }
}
