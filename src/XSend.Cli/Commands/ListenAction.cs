using System.Diagnostics;
using System.Text.Json;
using XSend.Cli.Output;
using XSend.Cli.Failures;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Cli.Commands;

/// <summary>
/// Logs in, sends presence (so live and stored messages arrive) and prints each message as one
/// line until --count messages arrived or the timeout ends the session.
/// </summary>
internal static class ListenAction
{
    public static async Task<int> RunAsync(
        ListenRequest request, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        int received = 0;
        try
        {
            using RunContext run = RunContext.Prepare(request.Connection, environment, stderr, clock);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(run.Timeout);
            // A listener answers XEP-0184 receipt requests, so `xsend --wait-receipt` can be tested against it.
            var client = new XmppClient(run.Settings.Account, run.ClientOptions with { SendReceipts = true });
            try
            {
                try
                {
                    for (int attempt = 0; ; attempt++)
                    {
                        try
                        {
                            await client.ConnectAsync(run.Server, deadline.Token).ConfigureAwait(false);
                            await client.AuthenticateAsync(run.Settings.Password, deadline.Token).ConfigureAwait(false);
                            break;
                        }
                        catch (XmppFreshLoginRequiredException ex) when (attempt == 0)
                        {
                            // The refused FAST token is forgotten: a fresh connection logs in with the password.
                            run.Narrator?.Write(ex.Message);
                            await client.DisposeAsync().ConfigureAwait(false);
                            client = new XmppClient(run.Settings.Account, run.ClientOptions with { SendReceipts = true });
                        }
                    }
                    run.RememberMechanism(client.Mechanism, stderr);
                    await client.SendPresenceAsync(deadline.Token).ConfigureAwait(false);
                    while (request.Count is null || received < request.Count)
                    {
                        ReceivedMessage message = await client.ReceiveMessageAsync(deadline.Token).ConfigureAwait(false);
                        stdout.WriteLine(request.Json ? FormatJson(message) : FormatLine(message));
                        stdout.Flush();
                        received++;
                    }
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Without --count, the timeout is the normal end of listening.
                    if (client.Step != XmppStep.Receiving || request.Count is not null)
                    {
                        string progress = request.Count is int count && client.Step == XmppStep.Receiving ? $" ({received} of {count} messages arrived)" : "";
                        throw new CliException(ExitCodes.TempFail, new XmppTimeoutException(client.Step, run.Timeout, ex).Message + progress);
                    }
                }
                await client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            finally
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            return FailureReporter.Report(ex, stderr, request.Connection.Verbose);
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
