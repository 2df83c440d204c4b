using System.Diagnostics;
using XSend.Cli.Outbox;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary>
/// One delivery run: under the outbox's drain lock, sends the account's queued alerts first
/// (oldest first, original ids, delay stamps), then the new alerts, over one session.
/// Each queued alert leaves the outbox as soon as the server acks (or bounces) it, so an
/// interruption later in the run cannot send it again; the rest stay.
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
        var queuedById = new Dictionary<string, (string Path, OutboxEntry Entry)>(StringComparer.Ordinal);
        foreach ((string Path, OutboxEntry Entry) q in queued)
            queuedById.TryAdd(q.Entry.Id, q);
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
            Settled = result => Unqueue(result, queuedById, session, stderr),
        };
        SendReport report = await sender.SendAsync(messages, cancellationToken).ConfigureAwait(false);
        session.RememberMechanism(sender.Mechanism, stderr);
        return (report, report.Results.Skip(queued.Count).ToList());
    }

    /// <summary>Removes a queued alert the moment the server settled it (acked or bounced).</summary>
    private static void Unqueue(MessageResult result, Dictionary<string, (string Path, OutboxEntry Entry)> queuedById, Session session, TextWriter stderr)
    {
        if (!queuedById.Remove(result.Id, out (string Path, OutboxEntry Entry) queued))
            return;
        OutboxStore.Remove(queued.Path);
        if (result.Status == MessageStatus.Rejected)
            stderr.WriteLine($"xsend: warning: dropped queued alert {result.Id} to {result.Message.To}: {result.Rejection!.Message}");
        else
            session.Narrator?.Write($"queued alert {result.Id} from {queued.Entry.Created.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC delivered");
    }
}
