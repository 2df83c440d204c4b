using System.Diagnostics;
using XSend.Cli.Failures;
using XSend.Cli.Input;
using XSend.Xmpp;

namespace XSend.Cli.Commands;

/// <summary>Sends one alert: loads settings, reads the body, runs the single-shot client, reports.</summary>
internal static class SendAction
{
    /// <summary>Runs the send; returns the exit code. Success prints nothing.</summary>
    public static async Task<int> RunAsync(
        SendRequest request, Stream stdin, TextWriter stdout, TextWriter stderr, CliEnvironment environment,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            if (request.Recipient.StartsWith('-'))
                throw new CliException(ExitCodes.Usage, $"unknown option '{request.Recipient}' (see 'xsend --help')");
            Session session = Session.Prepare(request.Connection, environment, stderr, clock);
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

            TimeSpan remaining = session.Timeout - clock.Elapsed;
            var sender = new SingleShotSender(session.Settings.Account, session.Settings.Password, session.ClientOptions)
            {
                Server = session.Server,
                Timeout = remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1),
            };
            string id = await sender.SendAsync(new OutgoingMessage(recipient, body), cancellationToken).ConfigureAwait(false);
            session.Narrator?.Write($"done: message {id} to {recipient} accepted by the server");
            return ExitCodes.Ok;
        }
        catch (Exception ex)
        {
            return FailureReporter.Report(ex, stderr, request.Connection.Verbose);
        }
    }
}
