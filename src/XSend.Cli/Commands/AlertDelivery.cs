using XSend.Cli.Outbox;
using XSend.Xmpp;
using XSend.Xmpp.Errors;

namespace XSend.Cli.Commands;

/// <summary>
/// One delivery run: under the outbox's drain lock, sends the account's queued alerts first
/// (oldest first, original ids, delay stamps), then the new alerts, over one session.
/// Queued alerts leave the outbox as soon as the server acks them (so an interruption later in
/// the run, even kill -9, cannot send them again), refused ones are set aside, the rest stay.
/// An alert after which the server closes the stream (e.g. Prosody's "XML stanza is too big")
/// is found and refused alone, and the others go on over a new connection. A broken outbox
/// never stops the send: the problem is returned for the caller to report.
/// </summary>
internal static class AlertDelivery
{
    /// <summary>The most messages one run sends (its own plus queued ones); a run with more of its own is refused.</summary>
    public const int MaxMessagesPerRun = 100_000;

    // Stream errors (RFC 6120 §4.9.3) that a stanza we sent can cause: after one, the last
    // stanza alone is to blame, not the session.
    private static readonly HashSet<string> StanzaFaultConditions = new(StringComparer.Ordinal)
    {
        "policy-violation", "not-well-formed", "invalid-xml", "restricted-xml", "bad-format", "improper-addressing",
        "invalid-namespace", "bad-namespace-prefix", "unsupported-stanza-type",
    };

    // Each suspect costs a connection: bounded, so a server that closes every stream cannot loop us.
    private const int MaxIsolations = 8;

    /// <summary>
    /// Delivers <paramref name="alerts"/> after the account's queued ones. Takes the drain lock
    /// unless <paramref name="drainLock"/> is the one the caller already holds (outbox flush).
    /// </summary>
    public static async Task<DeliveryOutcome> RunAsync(
        RunContext run, OutboxStore? outbox, IReadOnlyList<OutgoingMessage> alerts, TimeSpan timeout, TextWriter stderr, CancellationToken cancellationToken,
        DeliveryOptions? delivery = null, IDisposable? drainLock = null)
    {
        TimeProvider time = run.ClientOptions.TimeProvider;
        string account = run.Settings.Account.Bare.ToString();
        string? outboxProblem = null;
        IDisposable? ownLock = null;
        DrainPlan? plan = null;
        try
        {
            if (outbox is not null)
            {
                try
                {
                    drainLock ??= ownLock = outbox.TryLockForDraining();
                    if (drainLock is null)
                        run.Narrator?.Write("another xsend is draining the outbox; sending only this alert");
                    else
                    {
                        outbox.RemoveStaleTemporaryFiles(time.GetUtcNow());
                        plan = DrainPlan.Prepare(outbox, outbox.Scan(), account, time.GetUtcNow(), MaxMessagesPerRun - alerts.Count, stderr);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    outboxProblem = $"cannot use the outbox {outbox.Directory}: {ex.Message}";
                }
            }
            IReadOnlyList<OutgoingMessage> queued = plan?.Messages ?? [];
            if (queued.Count > 0)
                run.Narrator?.Write($"{queued.Count} queued alert(s) in {outbox!.Directory} go first");

            List<OutgoingMessage> messages = [.. queued, .. alerts];
            if (messages.Count == 0)
            {
                plan?.Settle([], time.GetUtcNow(), stderr, run.Narrator); // expired and malformed entries still leave
                return new DeliveryOutcome(new SendReport([], null, false), [], outboxProblem, null);
            }
            Action<MessageResult>? settled = plan is null ? null : result => plan.Record(result, time.GetUtcNow(), stderr, run.Narrator);
            (SendReport report, TimeSpan? receiptWait) = await SendAsync(run, messages, timeout, delivery, settled, stderr, cancellationToken)
                .ConfigureAwait(false);
            plan?.Settle(report.Results, time.GetUtcNow(), stderr, run.Narrator);
            return new DeliveryOutcome(report, report.Results.Skip(queued.Count).ToList(), outboxProblem, receiptWait);
        }
        finally
        {
            ownLock?.Dispose();
        }
    }

    /// <summary>
    /// Sends all messages; when the server closes the stream for a stanza's sake, sends the
    /// likeliest culprit (the largest unsent message) alone on a new connection: if the stream
    /// closes right after it again, it is refused with the server's reason, and the rest go on.
    /// </summary>
    private static async Task<(SendReport, TimeSpan?)> SendAsync(
        RunContext run, List<OutgoingMessage> messages, TimeSpan timeout, DeliveryOptions? delivery, Action<MessageResult>? settled, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        TimeProvider time = run.ClientOptions.TimeProvider;
        long started = time.GetTimestamp();
        TimeSpan? receiptWait = null;
        async Task<(SendReport Report, AlertSender Sender)> RunAsync(IReadOnlyList<OutgoingMessage> batch)
        {
            TimeSpan left = timeout - time.GetElapsedTime(started);
            var sender = new AlertSender(run.Settings.Account, run.Settings.Password, run.ClientOptions)
            {
                Server = run.Server,
                Timeout = left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1),
                OverallTimeout = run.Timeout,
                SubscribeToRecipients = delivery?.Subscribe ?? false,
                RoomNick = delivery?.RoomNick,
                RoomPassword = delivery?.RoomPassword,
                ReceiptTimeout = run.ReceiptTimeout,
                Progress = run.Narrator,
                Settled = settled,
            };
            SendReport report = await sender.SendAsync(batch, cancellationToken).ConfigureAwait(false);
            run.RememberMechanism(sender.Mechanism, stderr);
            if (sender.ReceiptWait is { } waited)
                receiptWait = waited;
            return (report, sender);
        }

        (SendReport report, AlertSender last) = await RunAsync(messages).ConfigureAwait(false);
        MessageResult[] results = [.. report.Results]; // ids fixed by the first run are kept by every resend
        for (int round = 0; round < MaxIsolations && StanzaFault(report, last) is { } fault; round++)
        {
            List<int> pending = Enumerable.Range(0, results.Length).Where(i => results[i].Status == MessageStatus.NotSent).ToList();
            int suspect = pending.MaxBy(i => results[i].Message.Body.Length + (results[i].Message.Subject?.Length ?? 0));
            if (pending.Count > 1)
            {
                run.Narrator?.Write($"the server closed the stream ({fault.Message}); trying message {results[suspect].Id} alone");
                (SendReport alone, last) = await RunAsync([results[suspect].Message]).ConfigureAwait(false);
                if (alone.Results[0].Status != MessageStatus.NotSent)
                    results[suspect] = alone.Results[0];
                else if (StanzaFault(alone, last) is { } own)
                    fault = own;
                else
                {
                    report = alone with { Results = results }; // a different failure: it speaks for all that remain
                    break;
                }
            }
            if (results[suspect].Status == MessageStatus.NotSent)
            {
                // RFC 6120 §4.9: the stream closed right after this stanza, alone on it: the stanza is refused.
                results[suspect] = results[suspect] with
                {
                    Status = MessageStatus.Rejected,
                    Rejection = new XmppStanzaException(StanzaKind.Message, StanzaErrorType.Cancel, fault.Condition,
                        "the server ended the stream right after this message" + (fault.Text is { } text ? $": {text}" : ""), null),
                };
            }
            List<int> rest = Enumerable.Range(0, results.Length).Where(i => results[i].Status == MessageStatus.NotSent).ToList();
            if (rest.Count == 0)
            {
                report = new SendReport(results, null, false);
                break;
            }
            (SendReport next, last) = await RunAsync(rest.Select(i => results[i].Message).ToList()).ConfigureAwait(false);
            for (int k = 0; k < rest.Count; k++)
                results[rest[k]] = next.Results[k];
            report = next with { Results = results };
        }
        return (report with { Results = results }, receiptWait);
    }

    /// <summary>The stream error a stanza caused, when the session got as far as sending and then the server closed the stream.</summary>
    private static XmppStreamException? StanzaFault(SendReport report, AlertSender sender) =>
        report is { Interrupted: false, Failure: XmppStreamException { IsTransient: false } stream }
        && StanzaFaultConditions.Contains(stream.Condition)
        && sender.Mechanism is not null // logged in: the stream closed after messages went out
        && report.Results.Any(r => r.Status == MessageStatus.NotSent)
            ? stream
            : null;
}
