using XSend.Xmpp;

namespace XSend.IntegrationTests;

/// <summary>An account logged in with the client core, reading what arrives: the proof that a message was delivered.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly XmppClient _client;

    private Receiver(XmppClient client) => _client = client;

    /// <summary>Logs in and sends presence, so the server delivers live and stored messages.</summary>
    public static async Task<Receiver> OnlineAsync(ProsodyFixture prosody, string user, bool sendReceipts = false)
    {
        var client = new XmppClient(ProsodyFixture.JidOf(user), prosody.ClientOptions() with { SendReceipts = sendReceipts });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync("127.0.0.1", prosody.Port, timeout.Token);
        await client.AuthenticateAsync(ProsodyFixture.PasswordOf(user), timeout.Token);
        await client.SendPresenceAsync(timeout.Token);
        return new Receiver(client);
    }

    /// <summary>Reads messages until <paramref name="count"/> have arrived or 30 s pass.</summary>
    public async Task<List<ReceivedMessage>> ReceiveAsync(int count = 1)
    {
        var received = new List<ReceivedMessage>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (received.Count < count)
            received.Add(await _client.ReceiveMessageAsync(timeout.Token));
        return received;
    }

    /// <summary>Asserts nothing more arrives within <paramref name="quiet"/> (no duplicates).</summary>
    public async Task AssertNothingMoreAsync(TimeSpan quiet)
    {
        using var timeout = new CancellationTokenSource(quiet);
        try
        {
            ReceivedMessage extra = await _client.ReceiveMessageAsync(timeout.Token);
            Assert.Fail($"unexpected extra message: {extra.Body}");
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        await _client.DisposeAsync();
    }
}
