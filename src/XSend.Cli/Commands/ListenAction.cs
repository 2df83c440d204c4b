using System.Diagnostics;
using System.Text.Json;
using XSend.Cli.Output;
using XSend.Cli.Failures;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XSend.Xmpp.Session;

namespace XSend.Cli.Commands;

/// <summary>
/// Logs in, sends presence (so live and stored messages arrive) and prints each message as one
/// line until --count messages arrived or the timeout ends the session. The session survives
/// outages: a dropped or dead connection (keepalive) is reconnected with backoff and the XEP-0198
/// session resumed, so what was sent meanwhile arrives once.
/// </summary>
internal static class ListenAction
{
    public static async Task<int> RunAsync(
        ListenRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        int received = 0;
        using RunContext run = RunContext.Prepare(request.Connection, environment, stderr, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(run.Timeout);
        // A listener answers XEP-0184 receipt requests, so `xsend --wait-receipt` can be tested against it.
        var session = new XmppSession(run.Settings.Account, run.Settings.Password, run.ClientOptions with { SendReceipts = true })
        {
            Server = run.Server,
        };
        await using (session.ConfigureAwait(false))
        {
            try
            {
                await session.StartAsync(deadline.Token).ConfigureAwait(false);
                run.RememberMechanism(session.Mechanism, stderr);
                while (request.Count is null || received < request.Count)
                {
                    ReceivedMessage message = await session.ReceiveMessageAsync(deadline.Token).ConfigureAwait(false);
                    stdout.WriteLine(request.Json ? FormatJson(message) : FormatLine(message));
                    stdout.Flush();
                    received++;
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Without --count, the timeout is the normal end of listening.
                if (session.Step != XmppStep.Receiving || request.Count is not null)
                {
                    string progress = request.Count is int count && session.Step == XmppStep.Receiving ? $" ({received} of {count} messages arrived)" : "";
                    throw new CliException(ExitCodes.TempFail, new XmppTimeoutException(session.Step, run.Timeout, ex).Message + progress);
                }
            }
            await session.CloseAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
    }

    /// <summary>One JSON object per message (JSON Lines).</summary>
    public static string FormatJson(ReceivedMessage message) =>
        JsonSerializer.Serialize(new ListenLine(message.From, message.Type, message.Id, message.Body, message.Subject, message.Delay),
            CliJsonContext.Default.ListenLine);

    /// <summary>One line per message: <c>from (type): body</c>, with line breaks in the body shown as \n.</summary>
    public static string FormatLine(ReceivedMessage message) =>
        // Backslashes doubled, then line breaks, control and bidi characters escaped: one line per message.
        PrintableText.Sanitize($"{message.From ?? "(server)"} ({message.Type}): {message.Body?.Replace("\\", "\\\\")}");
}
