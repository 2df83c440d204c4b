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
    /// <summary>Runs the send; returns the exit code. Success prints nothing.</summary>
    public static async Task<int> RunAsync(
        SendRequest request, Stream stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        DateTimeOffset raised = environment.Time.GetUtcNow();
        try
        {
            if (request.Recipients.FirstOrDefault(r => r.StartsWith('-')) is { } unknown)
                throw new CliException(ExitCodes.Usage, $"unknown option '{unknown}' (see 'xsend --help')");
            if (request.Recipients.Length == 0 && request.Rooms.Length == 0)
                throw new CliException(ExitCodes.Usage, "no recipient: give one or more JIDs, or --to JID (see 'xsend --help')");
            using Session session = Session.Prepare(request.Connection, environment, stderr, clock)
                with { ReceiptTimeout = request.ReceiptTimeout ?? TimeSpan.Zero };
            List<Jid> recipients = ParseRecipients(request.Recipients, "recipient");
            List<Jid> rooms = ParseRecipients(request.Rooms, "room");
            if (rooms.FirstOrDefault(r => r.Local is null || !r.IsBare) is { } badRoom)
                throw new CliException(ExitCodes.DataError, $"invalid room '{badRoom}': a room is a bare room@service address");

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(session.Timeout);
            IReadOnlyList<string> bodies;
            try
            {
                bodies = await MessageBodyReader.ReadAsync(request, stdin, environment.StdinIsTerminal, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.TempFail, $"timed out after {session.Timeout.TotalSeconds:0.#} s while reading the message from stdin");
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
            OutboxStore? outbox = request.NoOutbox ? null : new OutboxStore(session.Settings.OutboxDirectory, session.Settings.OutboxMaxAge);
            (SendReport report, IReadOnlyList<MessageResult> results) =
                await AlertDelivery.RunAsync(session, outbox, alerts, session.Timeout - clock.Elapsed, stderr, cancellationToken,
                    new DeliveryOptions(request.Subscribe, request.Nick, request.RoomPassword))
                    .ConfigureAwait(false);
            return Conclude(report, results, session, outbox, raised, stderr, request.Connection.Verbose);
        }
        catch (Exception ex)
        {
            return FailureReporter.Report(ex, stderr, request.Connection.Verbose);
        }
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
        SendReport report, IReadOnlyList<MessageResult> results, Session session, OutboxStore? outbox, DateTimeOffset raised, TextWriter stderr, bool verbose)
    {
        bool several = results.Count > 1;
        var codes = new List<int>();

        // Bounces: one line each, naming the recipient when there are several.
        foreach (MessageResult rejected in results.Where(r => r.Status == MessageStatus.Rejected))
        {
            (int code, string message) = rejected.Message.Type == MessageType.Groupchat && rejected.Rejection!.StanzaKind == "message"
                ? FailureClassifier.ClassifyRoomMessage(rejected.Message.To.ToString(), rejected.Rejection)
                : FailureClassifier.Classify(rejected.Rejection!);
            stderr.WriteLine(several ? $"xsend: {rejected.Message.To}: {message}" : $"xsend: {message}");
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
                foreach (MessageResult alert in unsent)
                    outbox.Enqueue(QueuedAlerts.ToEntry(alert.Message, session.Settings.Account, raised, reason));
                string what = unsent.Count == 1 ? "the alert was" : $"{unsent.Count} alerts were";
                stderr.WriteLine($"xsend: {reason}{who}; {what} queued in {outbox.Directory} and will be sent by the next successful run");
                code = ExitCodes.TempFail;
            }
            else
            {
                stderr.WriteLine($"xsend: {reason}{who}");
            }
            if (verbose)
                stderr.WriteLine(failure.ToString());
            codes.Add(code);
        }

        List<MessageResult> unreceipted = results.Where(r => r.Status == MessageStatus.Accepted && r.Message.RequestReceipt && !r.ReceiptReceived).ToList();
        if (unreceipted.Count > 0)
        {
            stderr.WriteLine($"xsend: the server accepted the message, but no delivery receipt came from "
                + $"{string.Join(", ", unreceipted.Select(r => r.Message.To).Distinct())} within {session.ReceiptTimeout.TotalSeconds:0.#} s");
            codes.Add(ExitCodes.NoReceipt);
        }

        if (codes.Count == 0)
        {
            session.Narrator?.Write($"done: {results.Count} message(s) accepted by the server"
                + (results.Any(r => r.ReceiptReceived) ? " and receipted by the recipient" : ""));
            return ExitCodes.Ok;
        }
        bool someReached = results.Any(r => r.Status == MessageStatus.Accepted);
        return someReached && codes.Any(c => c != ExitCodes.NoReceipt) ? ExitCodes.PartialFailure : codes[0];
    }
}
