using XSend.Xmpp;

namespace XSend.IntegrationTests;

/// <summary>An account logged in with the client core, reading what arrives: the proof that a message was delivered.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly XmppClient _client;

    private Receiver(XmppClient client) => _client = client;

    /// <summary>Logs in and sends presence, so the server delivers live and stored messages.</summary>
    public static async Task<Receiver> OnlineAsync(SandboxServerFixture server, string user, bool sendReceipts = false)
    {
        var client = new XmppClient(SandboxServerFixture.JidOf(user), server.ClientOptions() with { SendReceipts = sendReceipts });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync("127.0.0.1", server.Port, timeout.Token);
        await client.AuthenticateAsync(SandboxServerFixture.PasswordOf(user), timeout.Token);
        await client.SendPresenceAsync(timeout.Token);
        return new Receiver(client);
    }

    /// <summary>The client, for room and configuration steps.</summary>
    public XmppClient Client => _client;

    /// <summary>Joins (creating if needed) a room, optionally configuring it with muc#roomconfig fields.</summary>
    public async Task JoinRoomAsync(string room, string nick, params (string Field, string Value)[] configuration)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _client.JoinRoomAsync(Jid.Parse(room), nick, null, createIfMissing: true, timeout.Token);
        if (configuration.Length == 0)
            return;
        System.Xml.Linq.XNamespace data = "jabber:x:data";
        var form = new System.Xml.Linq.XElement(data + "x", new System.Xml.Linq.XAttribute("type", "submit"),
            new System.Xml.Linq.XElement(data + "field", new System.Xml.Linq.XAttribute("var", "FORM_TYPE"),
                new System.Xml.Linq.XElement(data + "value", "http://jabber.org/protocol/muc#roomconfig")),
            configuration.Select(c => new System.Xml.Linq.XElement(data + "field", new System.Xml.Linq.XAttribute("var", c.Field),
                new System.Xml.Linq.XElement(data + "value", c.Value))));
        // XEP-0045 §10.2: the owner submits the room configuration form.
        await _client.SendIqAsync("set", room,
            new System.Xml.Linq.XElement(System.Xml.Linq.XName.Get("query", "http://jabber.org/protocol/muc#owner"), form), timeout.Token);
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

    /// <summary>
    /// Reads until <paramref name="complete"/> holds for what arrived, then on until nothing more
    /// comes for <paramref name="quiet"/> (so duplicates are counted too); bounded by <paramref name="limit"/>.
    /// </summary>
    public async Task<List<ReceivedMessage>> CollectAsync(Func<IReadOnlyList<ReceivedMessage>, bool> complete, TimeSpan quiet, TimeSpan limit)
    {
        var received = new List<ReceivedMessage>();
        using var overall = new CancellationTokenSource(limit);
        while (!complete(received) && !overall.IsCancellationRequested)
        {
            try
            {
                received.Add(await _client.ReceiveMessageAsync(overall.Token));
            }
            catch (OperationCanceledException)
            {
            }
        }
        while (!overall.IsCancellationRequested)
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
            silence.CancelAfter(quiet);
            try
            {
                received.Add(await _client.ReceiveMessageAsync(silence.Token));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
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
