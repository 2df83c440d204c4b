using System.Diagnostics;
using XSend.Cli.Failures;
using XSend.Cli.Input;
using XSend.Cli.Outbox;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary>
/// Sends alerts: loads settings, reads the bodies, delivers them to every recipient over one
/// connection (queued alerts first), and reports. Alerts that cannot be delivered in time for
/// a temporary reason are queued in the outbox (exit 75) unless --no-outbox.
/// </summary>
internal static class SendAction
{
    /// <summary>Runs the send; returns the exit code. Success prints nothing; a failure throws (see <see cref="FailureReporter.RunAsync"/>).</summary>
    public static async Task<int> RunAsync(
        SendRequest request, Stream stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        DateTimeOffset raised = environment.Time.GetUtcNow();
        if (request.Recipients.FirstOrDefault(r => r.StartsWith('-')) is { } unknown)
            throw new CliException(ExitCodes.Usage, $"unknown option '{unknown}' (see 'xsend --help')");
        if (request.Recipients.Length == 0 && request.Rooms.Length == 0)
            throw new CliException(ExitCodes.Usage, "no recipient: give one or more JIDs, or --to JID (see 'xsend --help')");
        using RunContext run = RunContext.Prepare(request.Connection, environment, stderr, clock)
            with { ReceiptTimeout = request.ReceiptTimeout ?? TimeSpan.Zero };
        List<Jid> recipients = ParseRecipients(request.Recipients, "recipient");
        List<Jid> rooms = ParseRecipients(request.Rooms, "room");
        if (rooms.FirstOrDefault(r => r.Local is null || !r.IsBare) is { } badRoom)
            throw new CliException(ExitCodes.DataError, $"invalid room '{badRoom}': a room is a bare room@service address");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(run.Timeout);
        IReadOnlyList<string> bodies;
        try
        {
            bodies = await MessageBodyReader.ReadAsync(request, stdin, environment.StdinIsTerminal, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // 75 promises a queued alert; half a message is not one, so nothing is queued.
            throw new CliException(ExitCodes.NotQueued,
                $"timed out after {run.Timeout.TotalSeconds:0.#} s while reading the message from stdin; nothing was sent or queued");
        }
        catch (OperationCanceledException)
        {
            throw new CliException(ExitCodes.NotQueued, "interrupted while reading the message from stdin; nothing was sent or queued");
        }

        // Each body to each recipient and room, in order. The sender gives each a stable id,
        // which the results (and so the outbox) carry.
        OutgoingMessage Alert(Jid to, string body, bool room) => new(to, body)
        {
            // A room proves delivery by reflecting the message, so no receipt is asked there.
            Type = room ? MessageType.Groupchat : request.Type,
            Subject = request.Subject,
            RequestReceipt = !room && request.ReceiptTimeout is not null,
        };
        List<OutgoingMessage> alerts = bodies.SelectMany(body =>
            recipients.Select(to => Alert(to, body, room: false)).Concat(rooms.Select(room => Alert(room, body, room: true)))).ToList();
        run.Narrator?.Write($"{alerts.Count} message(s) to send");
        if (alerts.Count > AlertDelivery.MaxMessagesPerRun)
        {
            throw new CliException(ExitCodes.DataError, $"{alerts.Count} messages (lines x recipients) in one run; "
                + $"the limit is {AlertDelivery.MaxMessagesPerRun}: split the input over several runs");
        }
        OutboxStore? outbox = request.NoOutbox ? null
            : new OutboxStore(run.Settings.OutboxDirectory, run.Settings.OutboxMaxAge) { OpenForWriting = environment.OpenOutboxFile };
        // Writing the unsent batch to the outbox must fit in the deadline too: keep time for it
        // (about 5 µs per message, at most a quarter of what is left; nothing for one alert).
        TimeSpan left = run.Timeout - clock.Elapsed;
        TimeSpan queueing = outbox is null ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(left.Ticks / 4, alerts.Count * 5 * TimeSpan.TicksPerMicrosecond));
        DeliveryOutcome outcome = await AlertDelivery.RunAsync(run, outbox, alerts, left - queueing, stderr, cancellationToken,
                new DeliveryOptions(request.Subscribe, request.Nick, run.Settings.RoomPassword))
            .ConfigureAwait(false);
        return Conclude(outcome, run, outbox, raised, stderr, request.Connection.Verbose, cancellationToken.IsCancellationRequested);
    }

    private static List<Jid> ParseRecipients(string[] recipients, string what)
    {
        var parsed = new List<Jid>();
        foreach (string text in recipients.Distinct(StringComparer.Ordinal))
        {
            if (!Jid.TryParse(text, out Jid? jid, out string? error))
                throw new CliException(ExitCodes.DataError, $"invalid {what} '{text}': {error}");
            parsed.Add(jid);
        }
        return parsed;
    }

    private static int Conclude(
        DeliveryOutcome outcome, RunContext run, OutboxStore? outbox, DateTimeOffset raised, TextWriter stderr, bool verbose, bool interrupted)
    {
        (SendReport report, IReadOnlyList<MessageResult> results) = (outcome.Report, outcome.Alerts);
        string? outboxProblem = outcome.OutboxProblem;
        bool several = results.Count > 1;
        var codes = new List<int>();

        // Bounces: one line each, naming the recipient when there are several.
        foreach (MessageResult rejected in results.Where(r => r.Status == MessageStatus.Rejected))
        {
            (int code, string message) = rejected.Message.Type == MessageType.Groupchat && rejected.Rejection!.StanzaKind == XSend.Xmpp.Errors.StanzaKind.Message
                ? FailureClassifier.ClassifyRoomMessage(rejected.Message.To.ToString(), rejected.Rejection)
                : FailureClassifier.Classify(rejected.Rejection!);
            FailureReporter.Print(stderr, several ? $"{rejected.Message.To}: {message}" : message);
            codes.Add(code);
        }

        // A session failure leaves the rest unsent: one line, and the outbox when it is temporary.
        List<MessageResult> unsent = results.Where(r => r.Status == MessageStatus.NotSent).ToList();
        if (unsent.Count > 0)
        {
            Exception failure = report.Interrupted ? new OperationCanceledException() : report.Failure!;
            (int code, string reason) = FailureClassifier.Classify(failure);
            string who = several ? $" ({unsent.Count} alert(s) to {string.Join(", ", unsent.Select(u => u.Message.To).Distinct())})" : "";
            if (outbox is not null && (report.Interrupted || report.Failure!.IsTransient))
            {
                string what = unsent.Count == 1 ? "the alert was" : $"{unsent.Count} alerts were";
                try
                {
                    // One file for the run's whole unsent batch: one fsync, one atomic rename.
                    string file = outbox.Enqueue(unsent.Select(alert => QueuedAlerts.ToEntry(alert.Message, run.Settings.Account, raised, reason)).ToList());
                    run.Narrator?.Write($"queued {unsent.Count} alert(s) in {file}");
                    FailureReporter.Print(stderr, $"{reason}{who}; {what} queued in {outbox.Directory} and will be sent by the next successful run");
                    code = ExitCodes.TempFail;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    FailureReporter.Print(stderr, $"{reason}{who}; {what} NOT queued: cannot write to the outbox {outbox.Directory}: {ex.Message}");
                    code = ExitCodes.NotQueued;
                    outboxProblem = null; // said in this line
                }
            }
            else
            {
                FailureReporter.Print(stderr, $"{reason}{who}");
            }
            if (verbose)
                FailureReporter.PrintTrace(stderr, failure);
            codes.Add(code);
        }

        List<MessageResult> unreceipted = results.Where(r => r.Status == MessageStatus.Accepted && r.Message.RequestReceipt && !r.ReceiptReceived).ToList();
        if (unreceipted.Count > 0)
        {
            string from = string.Join(", ", unreceipted.Select(r => r.Message.To).Distinct());
            // The measured wait includes the moment cancellation takes to land; never report more than the deadline allowed.
            TimeSpan waited = TimeSpan.FromTicks(Math.Min((outcome.ReceiptWait ?? TimeSpan.Zero).Ticks, run.Timeout.Ticks));
            // The sender ends a receipt wait quietly, whatever cut it short: the caller's token tells an interruption.
            string how = (report.Interrupted || interrupted) && unsent.Count == 0
                ? $"the wait for a delivery receipt from {from} was interrupted after {waited.TotalSeconds:0.#} s"
                : waited >= run.ReceiptTimeout - TimeSpan.FromMilliseconds(50)
                    ? $"no delivery receipt came from {from} within {run.ReceiptTimeout.TotalSeconds:0.#} s"
                    : $"no delivery receipt came from {from} in the {waited.TotalSeconds:0.#} s left before the {run.Timeout.TotalSeconds:0.#} s deadline";
            stderr.WriteLine($"xsend: the server accepted the message, but {how}");
            codes.Add(ExitCodes.NoReceipt);
        }

        // The outbox could not be used, but nothing needed queueing: one warning.
        if (outboxProblem is not null)
            stderr.WriteLine($"xsend: warning: {outboxProblem}; until it is fixed, alerts that fail cannot be queued");

        if (codes.Count == 0)
        {
            run.Narrator?.Write($"done: {results.Count} message(s) accepted by the server"
                + (results.Any(r => r.ReceiptReceived) ? " and receipted by the recipient" : ""));
            return ExitCodes.Ok;
        }
        if (codes.Contains(ExitCodes.NotQueued))
            return ExitCodes.NotQueued; // the one outcome where an alert is lost unless the caller retries
        bool someReached = results.Any(r => r.Status == MessageStatus.Accepted);
        return someReached && codes.Any(c => c != ExitCodes.NoReceipt) ? ExitCodes.PartialFailure : codes[0];
    }
}
