using XSend.Xmpp.Errors;

namespace XSend.Xmpp;

/// <summary>
/// The single-shot recipe: connect, authenticate, send, wait for the server to take the
/// message, close. One overall deadline covers every step; when it passes the error names the
/// step that stalled.
/// </summary>
/// <param name="account">The sending account.</param>
/// <param name="password">The account's password.</param>
/// <param name="options">Client settings.</param>
public sealed class SingleShotSender(Jid account, string password, XmppClientOptions? options = null)
{
    /// <summary>The server to dial; by default the JID's domain on port 5222.</summary>
    public ServerEndpoint? Server { get; init; }

    /// <summary>The overall deadline. Default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends one message; returns once the server has accepted it.</summary>
    /// <returns>The message id.</returns>
    /// <exception cref="XmppException">A typed failure; <see cref="XmppTimeoutException"/> when the deadline passed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        await using var client = new XmppClient(account, options);
        try
        {
            ServerEndpoint server = Server ?? new ServerEndpoint(account.Domain, ServerEndpoint.DefaultClientPort);
            await client.ConnectAsync(server.Host, server.Port, deadline.Token).ConfigureAwait(false);
            await client.AuthenticateAsync(password, deadline.Token).ConfigureAwait(false);
            string id = await client.SendMessageAsync(message, deadline.Token).ConfigureAwait(false);
            // The message is accepted; closing is bounded and cannot fail the send.
            await client.DisconnectAsync(deadline.Token).ConfigureAwait(false);
            return id;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new XmppTimeoutException(client.Step, Timeout, ex);
        }
    }
}
