using System.Diagnostics;
using XSend.Xmpp;
using XSend.Xmpp.Errors;

namespace XSend.Cli.Commands;

/// <summary>
/// Runs a piece of work inside one logged-in session under the overall deadline, for the
/// commands that are not sends (contact, check): a stalled step becomes a timeout naming it.
/// </summary>
internal static class AccountSession
{
    public static async Task<T> RunAsync<T>(RunContext run, Stopwatch clock, TextWriter stderr, Func<XmppClient, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        try
        {
            return await RunOnceAsync(run, clock, stderr, work, cancellationToken).ConfigureAwait(false);
        }
        catch (XmppFreshLoginRequiredException ex)
        {
            // The refused FAST token is forgotten: a fresh connection logs in with the password.
            run.Narrator?.Write(ex.Message);
            return await RunOnceAsync(run, clock, stderr, work, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> RunOnceAsync<T>(RunContext run, Stopwatch clock, TextWriter stderr, Func<XmppClient, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(run.Timeout - clock.Elapsed);
        await using var client = new XmppClient(run.Settings.Account, run.ClientOptions);
        try
        {
            await client.ConnectAsync(run.Server, deadline.Token).ConfigureAwait(false);
            await client.AuthenticateAsync(run.Settings.Password, deadline.Token).ConfigureAwait(false);
            run.RememberMechanism(client.Mechanism, stderr);
            T result = await work(client, deadline.Token).ConfigureAwait(false);
            await client.DisconnectAsync(deadline.Token).ConfigureAwait(false);
            return result;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new XmppTimeoutException(client.Step, run.Timeout, ex);
        }
    }
}
