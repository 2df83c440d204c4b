using System.Diagnostics;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Session;

namespace XSend.Cli.Commands;

/// <summary>
/// Runs a piece of work inside one logged-in session under the overall deadline, for the
/// commands that are not sends (contact, check): the same <see cref="XmppSession"/> that listen
/// uses, on one connection (a drop ends the work), unavailable (no presence), and a stalled
/// step becomes a timeout naming it.
/// </summary>
internal static class AccountSession
{
    public static async Task<T> RunAsync<T>(RunContext run, Stopwatch clock, TextWriter stderr, Func<XmppClient, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(run.Timeout - clock.Elapsed);
        var session = new XmppSession(run.Settings.Account, run.Settings.Password, run.ClientOptions)
        {
            Server = run.Server,
            Available = false,
            Reconnect = false,
        };
        await using (session.ConfigureAwait(false))
        {
            try
            {
                // A refused FAST token is forgotten and the session logs in with the password on a fresh connection.
                await session.StartAsync(deadline.Token).ConfigureAwait(false);
                run.RememberMechanism(session.Mechanism, stderr);
                T result = await work(session.Client, deadline.Token).ConfigureAwait(false);
                await session.CloseAsync(deadline.Token).ConfigureAwait(false);
                return result;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new XmppTimeoutException(session.Step, run.Timeout, ex);
            }
        }
    }
}
