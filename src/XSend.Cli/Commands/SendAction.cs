using System.Diagnostics;
using XSend.Cli.Failures;
using XSend.Cli.Input;
using XSend.Cli.Outbox;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary>
/// Sends one alert: loads settings, reads the body, delivers it (queued alerts first), and
/// reports. An alert that cannot be delivered in time for a temporary reason is queued in the
/// outbox (exit 75) unless --no-outbox.
/// </summary>
internal static class SendAction
{
    /// <summary>Runs the send; returns the exit code. Success prints nothing.</summary>
    public static async Task<int> RunAsync(
        SendRequest request, Stream stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        DateTimeOffset raised = DateTimeOffset.UtcNow;
        try
        {
            if (request.Recipient.StartsWith('-'))
                throw new CliException(ExitCodes.Usage, $"unknown option '{request.Recipient}' (see 'xsend --help')");
            Session session = Session.Prepare(request.Connection, environment, stderr, clock)
                with { ReceiptTimeout = request.ReceiptTimeout ?? TimeSpan.Zero };
            if (!Jid.TryParse(request.Recipient, out Jid? recipient, out string? recipientError))
                throw new CliException(ExitCodes.DataError, $"invalid recipient '{request.Recipient}': {recipientError}");

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(session.Timeout);
            string body;
            try
            {
                body = await MessageBodyReader.ReadAsync(request.Words, stdin, environment.StdinIsTerminal, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.TempFail, $"timed out after {session.Timeout.TotalSeconds:0.#} s while reading the message from stdin");
            }

            var alert = new OutgoingMessage(recipient, body) { Id = NewAlertId(), RequestReceipt = request.ReceiptTimeout is not null };
            OutboxStore? outbox = request.NoOutbox ? null : new OutboxStore(session.Settings.OutboxDirectory, session.Settings.OutboxMaxAge);
            SendReport report = await AlertDelivery.RunAsync(session, outbox, alert, session.Timeout - clock.Elapsed, stderr, cancellationToken)
                .ConfigureAwait(false);
            return Conclude(report, report.Results[^1], session, outbox, raised, stderr, request.Connection.Verbose);
        }
        catch (Exception ex)
        {
            return FailureReporter.Report(ex, stderr, request.Connection.Verbose);
        }
    }

    private static int Conclude(
        SendReport report, MessageResult alert, Session session, OutboxStore? outbox, DateTimeOffset raised, TextWriter stderr, bool verbose)
    {
        switch (alert.Status)
        {
            case MessageStatus.Accepted when alert.Message.RequestReceipt && !alert.ReceiptReceived:
                stderr.WriteLine($"xsend: the server accepted the message, but no delivery receipt came from {alert.Message.To} "
                    + $"within {session.ReceiptTimeout.TotalSeconds:0.#} s");
                return ExitCodes.NoReceipt;
            case MessageStatus.Accepted:
                session.Narrator?.Write($"done: message {alert.Id} to {alert.Message.To} accepted by the server"
                    + (alert.ReceiptReceived ? " and receipted by the recipient" : ""));
                return ExitCodes.Ok;
            case MessageStatus.Rejected:
                return FailureReporter.Report(alert.Rejection!, stderr, verbose);
        }

        Exception failure = report.Interrupted ? new OperationCanceledException() : report.Failure!;
        bool temporary = report.Interrupted || report.Failure!.IsTransient;
        if (outbox is null || !temporary)
            return FailureReporter.Report(failure, stderr, verbose);

        (_, string reason) = FailureClassifier.Classify(failure);
        outbox.Enqueue(QueuedAlerts.ToEntry(alert.Message, session.Settings.Account, raised, reason));
        stderr.WriteLine($"xsend: {reason}; the alert was queued in {outbox.Directory} and will be sent by the next successful run");
        if (verbose)
            stderr.WriteLine(failure.ToString());
        return ExitCodes.TempFail;
    }

    private static string NewAlertId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
