using System.Diagnostics;
using XSend.Cli.Commands;
using XSend.Cli.Failures;
using XSend.Cli.Outbox;
using XSend.Xmpp;

namespace XSend.Serve;

/// <summary>
/// Delivers each webhook over its own connection with the CLI's acked delivery
/// (<see cref="AlertDelivery"/>: queued alerts first, then the new ones, each acked), one
/// webhook at a time (one account, one SASL2 user-agent id). When the server cannot be reached
/// the messages go to the outbox (fsync'd); while it stays down, later webhooks are queued at
/// once instead of each waiting for the deadline, until <see cref="RecoverAsync"/> reaches it.
/// </summary>
internal sealed class PerWebhookDelivery(
    RunContext run, OutboxStore outbox, ServeMetrics metrics, TextWriter log, TimeSpan timeout) : IWebhookDelivery, IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private volatile bool _ready;
    private bool _known; // a contact was tried: _ready says how it went

    /// <inheritdoc/>
    public bool IsReady => _ready;

    // Rooms (Serve:Rooms) are joined with the account's name as nickname and the configured room password.
    private DeliveryOptions Rooms => new(Subscribe: false, RoomNick: null, RoomPassword: run.Settings.RoomPassword);

    /// <inheritdoc/>
    public async Task<WebhookOutcome> DeliverAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        try
        {
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down before its turn came: queued, never dropped.
            return Queue(messages, "xsend serve is shutting down");
        }
        try
        {
            if (_known && !_ready)
                return Queue(messages, "the XMPP server was unreachable at the last try");
            DeliveryOutcome outcome = await AlertDelivery.RunAsync(run, outbox, messages, timeout, log, cancellationToken, Rooms).ConfigureAwait(false);
            return Conclude(outcome);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private WebhookOutcome Conclude(DeliveryOutcome outcome)
    {
        SendReport report = outcome.Report;
        IReadOnlyList<MessageResult> results = outcome.Alerts;
        int delivered = results.Count(r => r.Status == MessageStatus.Accepted);
        metrics.Delivered.Add(delivered);
        if (results.FirstOrDefault(r => r.Status == MessageStatus.Rejected) is { } rejected)
        {
            // The server refused the message for good (an unknown recipient): say so; Alertmanager retries on 503.
            MarkReachable(true);
            string reason = FailureClassifier.Classify(rejected.Rejection!).Message;
            metrics.Failed.Add(results.Count - delivered);
            log.WriteLine($"xsend: serve: {rejected.Message.To} refused the message: {reason}");
            return new WebhookOutcome(WebhookDisposition.Failed, reason);
        }
        List<MessageResult> unsent = results.Where(r => r.Status == MessageStatus.NotSent).ToList();
        if (unsent.Count == 0)
        {
            MarkReachable(true);
            return new WebhookOutcome(WebhookDisposition.Delivered);
        }
        Exception failure = report.Interrupted ? new OperationCanceledException() : report.Failure!;
        string why = FailureClassifier.Classify(failure).Message;
        if (report.Interrupted || report.Failure!.IsTransient)
        {
            MarkReachable(false);
            return Queue(unsent.Select(r => r.Message).ToList(), why);
        }
        // Permanent (authentication, TLS trust): queueing would hide it; 503 keeps the sender retrying.
        metrics.Failed.Add(unsent.Count);
        log.WriteLine($"xsend: serve: {why}");
        return new WebhookOutcome(WebhookDisposition.Failed, why);
    }

    private WebhookOutcome Queue(IReadOnlyList<OutgoingMessage> messages, string why)
    {
        DateTimeOffset now = run.ClientOptions.TimeProvider.GetUtcNow();
        try
        {
            // Temporary file, fsync, rename (OutboxStore): on disk before the webhook is answered.
            string file = outbox.Enqueue(messages.Select(m => QueuedAlerts.ToEntry(m.Id is null ? m with { Id = NewId() } : m, run.Settings.Account, now, why)).ToList());
            metrics.Queued.Add(messages.Count);
            log.WriteLine($"xsend: serve: {why}; {messages.Count} message(s) queued in {file}");
            return new WebhookOutcome(WebhookDisposition.Queued, why);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            metrics.Failed.Add(messages.Count);
            string both = $"{why}; NOT queued: cannot write to the outbox {outbox.Directory}: {ex.Message}";
            log.WriteLine($"xsend: serve: {both}");
            return new WebhookOutcome(WebhookDisposition.Failed, both);
        }
    }

    private static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    /// <inheritdoc/>
    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool queued = HasQueued();
            if (_ready && !queued)
                return;
            if (queued)
            {
                // Sends the account's queued alerts (AlertDelivery drains before any new ones).
                DeliveryOutcome drain = await AlertDelivery.RunAsync(run, outbox, [], timeout, log, cancellationToken, Rooms).ConfigureAwait(false);
                bool ok = drain.Report.Failure is null && !drain.Report.Interrupted;
                metrics.Delivered.Add(drain.Report.Results.Count(r => r.Status == MessageStatus.Accepted));
                MarkReachable(ok);
                if (!ok)
                    log.WriteLine($"xsend: serve: the outbox could not be sent yet: {FailureClassifier.Classify((Exception?)drain.Report.Failure ?? new OperationCanceledException()).Message}");
                return;
            }
            // Nothing waits: log in and out, to know whether the server is back.
            try
            {
                await AccountSession.RunAsync(run with { Timeout = timeout }, Stopwatch.StartNew(), log, (_, _) => Task.FromResult(true), cancellationToken).ConfigureAwait(false);
                MarkReachable(true);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (_ready || !_known)
                    log.WriteLine($"xsend: serve: the XMPP server is not reachable: {FailureClassifier.Classify(ex).Message}");
                MarkReachable(false);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private bool HasQueued()
    {
        try
        {
            string account = run.Settings.Account.Bare.ToString();
            return outbox.Scan().Files.Any(f => f.Alerts.Any(a => a.Account == account));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void MarkReachable(bool reachable)
    {
        bool back = reachable && !_ready;
        if (back && _known)
            metrics.Reconnects.Increment(); // counted before /readyz can show it
        _known = true;
        _ready = reachable;
        if (back)
            log.WriteLine("xsend: serve: the XMPP server is reachable"); // after /readyz says so
    }

    /// <inheritdoc/>
    public void Dispose() => _oneAtATime.Dispose();
}
