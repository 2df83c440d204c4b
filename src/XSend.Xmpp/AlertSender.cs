using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Session;

namespace XSend.Xmpp;

/// <summary>
/// The single-shot recipe: connect, authenticate, send, wait for the server to take each
/// message, close. One overall deadline covers every step and every retry: temporary failures
/// (refused or dropped connections, a server shutting down, a missing ack) are retried with
/// exponential backoff and jitter while time remains; permanent ones (authentication, TLS trust,
/// a bounced message) are not. A <c>see-other-host</c> redirect is followed once.
/// </summary>
/// <param name="account">The sending account.</param>
/// <param name="password">The account's password.</param>
/// <param name="options">Client settings.</param>
public sealed class AlertSender(Jid account, string password, XmppClientOptions? options = null)
{
    private const int MaxAttempts = 20;

    // Messages written back to back before one ack request: large enough to amortise the round
    // trip, small enough that a failure resends few and the ack timeout stays meaningful.
    private const int WindowSize = 200;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How often one message may be written in a run without the server confirming it: once, and
    /// once more on a new session when the old one could not be resumed. Each unconfirmed write
    /// may have reached the server, so this bounds the copies a run can cause.
    /// </summary>
    public const int MaxTransmissions = 2;

    // After an interruption: how long the ack already asked for may still come.
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>The server to dial; by default wherever the domain's SRV records point (else the domain on 5222).</summary>
    public ServerEndpoint? Server { get; init; }

    /// <summary>The overall deadline. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The deadline to name in timeout errors, when the caller spent part of its overall
    /// deadline before this sender started (reading input, say). Default: <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan? OverallTimeout { get; init; }

    /// <summary>
    /// How long to wait for XEP-0184 receipts of messages that request one, after all were
    /// accepted; bounded by the overall deadline. A missing receipt does not fail the send.
    /// </summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one attempt waits for the server to acknowledge a message before treating the
    /// ack as missing and retrying on a new connection (same id). Default: a third of
    /// <see cref="Timeout"/>, at least 1 s.
    /// </summary>
    public TimeSpan? AckTimeout { get; init; }

    /// <summary>The nickname for rooms (groupchat messages); default the account's localpart.</summary>
    public string? RoomNick { get; init; }

    /// <summary>The password for the rooms, if they need one.</summary>
    public string? RoomPassword { get; init; }

    /// <summary>Before sending, ask each recipient for a presence subscription and pre-approve theirs (--subscribe).</summary>
    public bool SubscribeToRecipients { get; init; }

    /// <summary>
    /// Called for each message as soon as it settles: accepted (the server acknowledged it) or
    /// rejected (bounced). Called on the sending task, once per message, before the report.
    /// </summary>
    public Action<MessageResult>? Settled { get; init; }

    /// <summary>Receives a line for each retry, for a verbose mode.</summary>
    public IProgress<XmppProgress>? Progress { get; init; }

    private TimeProvider Time => options?.TimeProvider ?? TimeProvider.System;

    /// <summary>The SASL mechanism of the last successful login, or <see langword="null"/> if none succeeded.</summary>
    public string? Mechanism { get; private set; }

    /// <summary>
    /// How long the last send waited for XEP-0184 receipts (bounded by <see cref="ReceiptTimeout"/>
    /// and the overall deadline), or <see langword="null"/> if it never waited for one.
    /// </summary>
    public TimeSpan? ReceiptWait { get; private set; }

    /// <summary>Sends one message; returns its id once the server accepted it.</summary>
    /// <exception cref="XmppException">The send failed; <see cref="XmppTimeoutException"/> when the deadline passed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        SendReport report = await SendAsync([message], cancellationToken).ConfigureAwait(false);
        MessageResult result = report.Results[0];
        if (result.Status == MessageStatus.Accepted)
            return result.Id;
        cancellationToken.ThrowIfCancellationRequested();
        throw (XmppException?)result.Rejection ?? report.Failure!;
    }

    /// <summary>
    /// Sends messages in order over one session (reconnecting on temporary failures), each
    /// confirmed by the server before the next. Never throws for network or server failures:
    /// the report says what was accepted, rejected or not sent, and why.
    /// </summary>
    /// <remarks>
    /// After a dropped connection or a missing ack the XEP-0198 session is resumed where the
    /// server allows it, and its h decides what is sent again. Otherwise the unconfirmed
    /// messages are sent again on a new session with the same ids, each at most
    /// <see cref="MaxTransmissions"/> times in a run. When <paramref name="cancellationToken"/> is
    /// cancelled nothing more is written, but the ack already asked for is awaited briefly, so
    /// what the server took is reported as accepted.
    /// </remarks>
    public async Task<SendReport> SendAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Ids are fixed once, so a retry resends the same stanza id and origin-id.
        var run = new DeliveryRun(messages.Select(m => new MessageResult(m.Id is null ? m with { Id = XmppClient.NewId() } : m, MessageStatus.NotSent)).ToArray(), Settled);
        MessageResult[] results = run.Results;
        TimeProvider time = Time;
        using var overall = new CancellationTokenSource(Timeout, time);
        // An interruption stops the writing at once, and the reading a moment later (InterruptGrace).
        using var grace = new CancellationTokenSource(System.Threading.Timeout.InfiniteTimeSpan, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(overall.Token, grace.Token);
        using CancellationTokenRegistration interrupt = cancellationToken.Register(() => grace.CancelAfter(InterruptGrace));
        long started = time.GetTimestamp();

        ServerEndpoint? server = Server;
        bool redirected = false;
        XmppException? lastFailure = null;
        var backoff = new Backoff(FirstBackoff, MaxBackoff);
        StreamResumption? resumable = null;
        for (int attempt = 1; attempt <= MaxAttempts && (resumable is { Unacked.Count: > 0 } || run.AnySendable); attempt++)
        {
            XmppStep step = XmppStep.Idle;
            try
            {
                await using var client = new XmppClient(account, options) { RequestResumption = true };
                try
                {
                    await RunSessionAsync(client, server, resumable, run, deadline.Token, cancellationToken).ConfigureAwait(false);
                    return new SendReport(results, null, false);
                }
                finally
                {
                    step = client.Step;
                    resumable = run.AfterSession(client, resumable);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new SendReport(results, lastFailure, Interrupted: true);
            }
            catch (OperationCanceledException ex)
            {
                return new SendReport(results, new XmppTimeoutException(step, OverallTimeout ?? Timeout, ex, lastFailure), false);
            }
            catch (XmppStreamException ex) when (ex.Condition == "see-other-host" && !redirected
                && ServerEndpoint.TryParse(ex.SeeOtherHost, out ServerEndpoint? other, out _))
            {
                // RFC 6120 §4.9.3.19: reconnect to the named host; follow only once to avoid loops.
                redirected = true;
                lastFailure = ex;
                server = other;
                resumable = null; // a session lives on the server that made it
                Progress?.Report(new XmppProgress(XmppStep.Connecting, $"the server redirects to {other}"));
            }
            catch (XmppException ex) when (ex.IsTransient)
            {
                lastFailure = ex;
                if (!run.AnySendable && resumable is not { Unacked.Count: > 0 })
                {
                    Progress?.Report(new XmppProgress(step, $"temporary failure ({ex.Message}); "
                        + $"the unconfirmed messages were written {MaxTransmissions} times already, so they are not written again in this run"));
                    return new SendReport(results, ex, false);
                }
                TimeSpan wait = backoff.Next();
                // No time left for another attempt: report the real failure now rather than a timeout later.
                if (time.GetElapsedTime(started) + wait + MinimumAttempt >= Timeout)
                    return new SendReport(results, ex, false);
                Progress?.Report(new XmppProgress(XmppStep.WaitingToRetry, $"temporary failure ({ex.Message}); "
                    + $"{(resumable is null ? "retrying" : "resuming the session")} in {wait.TotalMilliseconds:0} ms"));
                try
                {
                    // Nothing is in flight while waiting: an interruption ends the wait at once.
                    using var waiting = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
                    await Task.Delay(wait, time, waiting.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return new SendReport(results, lastFailure, Interrupted: true);
                }
                catch (OperationCanceledException)
                {
                    // The wait was sized to end before the deadline; a late timer (a loaded machine)
                    // means the same as "no time left": report the real failure, not the wait.
                    return new SendReport(results, ex, false);
                }
            }
            catch (XmppException ex)
            {
                return new SendReport(results, ex, false);
            }
        }
        return new SendReport(results, lastFailure, false);
    }

    /// <summary>
    /// One attempt: connect, log in (resuming <paramref name="resumable"/> when given), confirm
    /// what resumption resent, then send what is still sendable, settling each as it is confirmed.
    /// </summary>
    /// <param name="client">A new client for this attempt.</param>
    /// <param name="server">Where to connect (null: SRV).</param>
    /// <param name="resumable">The previous session, to resume instead of starting afresh.</param>
    /// <param name="run">The messages and their state.</param>
    /// <param name="cancellationToken">Ends the session (the deadline, or an interruption after its grace).</param>
    /// <param name="stop">Interruption: write nothing more.</param>
    private async Task RunSessionAsync(XmppClient client, ServerEndpoint? server, StreamResumption? resumable, DeliveryRun run,
        CancellationToken cancellationToken, CancellationToken stop)
    {
        stop.ThrowIfCancellationRequested();
        MessageResult[] results = run.Results;
        TimeSpan ackTimeout = AckTimeout ?? TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, Timeout.Ticks / 3));
        // XEP-0198 §5: reconnect where the server asked, when it named a place.
        await client.ConnectAsync(resumable?.Location ?? server, cancellationToken).ConfigureAwait(false);
        bool resumed = await client.AuthenticateAsync(password, resumable, cancellationToken).ConfigureAwait(false);
        Mechanism = client.Mechanism;
        run.SettleAcked(client);
        if (resumed)
        {
            // What the server's h did not cover went out again on resumption: confirm it.
            await WithAckDeadlineAsync(client, ackTimeout, token =>
                client.ConfirmOutstandingAsync(run.SettleById, token), cancellationToken).ConfigureAwait(false);
        }
        stop.ThrowIfCancellationRequested();
        if (SubscribeToRecipients && !resumed)
        {
            foreach (Jid contact in results.Where(r => r.Message.Type != MessageType.Groupchat).Select(r => r.Message.To.Bare).Distinct())
                await client.SubscribeAsync(contact, cancellationToken).ConfigureAwait(false);
        }
        var rooms = results.Where(r => r.Status == MessageStatus.NotSent && r.Message.Type == MessageType.Groupchat)
            .Select(r => r.Message.To.Bare).Distinct().ToList();
        // A resumed session is still in its rooms.
        foreach (Jid room in resumed ? [] : rooms)
        {
            try
            {
                await client.JoinRoomAsync(room, RoomNick ?? account.Local!, RoomPassword, createIfMissing: false, cancellationToken).ConfigureAwait(false);
            }
            catch (XmppStanzaException refused) when (refused.StanzaKind == StanzaKind.Presence)
            {
                // The room said no: its messages are rejected; the others still go.
                for (int i = 0; i < results.Length; i++)
                {
                    if (results[i].Message.Type == MessageType.Groupchat && results[i].Message.To.Bare.Equals(room))
                        run.Settle(i, refused);
                }
            }
        }

        // Direct messages go pipelined in windows, each confirmed by one ack (the bulk path).
        // Messages this stream already carries (resent on resumption) are not written again.
        int[] direct = Enumerable.Range(0, results.Length)
            .Where(i => run.IsSendable(i) && results[i].Message.Type != MessageType.Groupchat && !client.HasSent(results[i].Id)).ToArray();
        for (int start = 0; start < direct.Length; start += WindowSize)
        {
            stop.ThrowIfCancellationRequested();
            int[] window = direct[start..Math.Min(start + WindowSize, direct.Length)];
            await WithAckDeadlineAsync(client, ackTimeout, token =>
                client.SendBatchAsync(window.Select(i => results[i].Message).ToList(), WindowSize,
                    (k, bounce) => run.Settle(window[k], bounce), token),
                cancellationToken).ConfigureAwait(false);
        }

        // Room messages one at a time: each is delivered when the room reflects it.
        foreach (int index in Enumerable.Range(0, results.Length).Where(i => run.IsSendable(i) && !client.HasSent(results[i].Id)).ToList())
        {
            stop.ThrowIfCancellationRequested();
            await WithAckDeadlineAsync(client, ackTimeout, async token =>
            {
                XmppStanzaException? bounce = null;
                try
                {
                    await client.SendMessageAsync(results[index].Message, token).ConfigureAwait(false);
                }
                catch (XmppStanzaException refused) when (refused.StanzaKind == StanzaKind.Message)
                {
                    bounce = refused;
                }
                run.Settle(index, bounce);
            }, cancellationToken).ConfigureAwait(false);
        }
        await WaitForReceiptsAsync(client, results, cancellationToken).ConfigureAwait(false);
        foreach (Jid room in rooms)
            await client.LeaveRoomAsync(room, cancellationToken).ConfigureAwait(false);
        // Everything is accepted; closing is bounded and cannot fail the send.
        await client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a send step that must be confirmed within <paramref name="ackTimeout"/>.</summary>
    private async Task WithAckDeadlineAsync(
        XmppClient client, TimeSpan ackTimeout, Func<CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        using var ackTimer = new CancellationTokenSource(ackTimeout, Time);
        using var ackDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ackTimer.Token);
        try
        {
            await send(ackDeadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException missingAck) when (!cancellationToken.IsCancellationRequested)
        {
            // A missing ack is temporary: retry on a new connection, resending the same ids.
            throw new XmppTimeoutException(client.Step, ackTimeout, missingAck);
        }
    }

    private async Task WaitForReceiptsAsync(XmppClient client, MessageResult[] results, CancellationToken cancellationToken)
    {
        if (!results.Any(r => r.Status == MessageStatus.Accepted && r.Message.RequestReceipt))
            return;
        using var receiptTimer = new CancellationTokenSource(ReceiptTimeout, Time);
        using var receiptDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, receiptTimer.Token);
        long waitStarted = Time.GetTimestamp();
        try
        {
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i].Status != MessageStatus.Accepted || !results[i].Message.RequestReceipt)
                    continue;
                try
                {
                    await client.WaitForReceiptAsync(results[i].Id, receiptDeadline.Token).ConfigureAwait(false);
                    results[i] = results[i] with { ReceiptReceived = true };
                }
                catch (Exception ex) when (ex is OperationCanceledException or XmppException)
                {
                    // The message was accepted; a missing receipt is reported, never retried.
                    return;
                }
            }
        }
        finally
        {
            ReceiptWait = Time.GetElapsedTime(waitStarted); // the real wait, which the deadline may have cut short
        }
    }
}
