using System.Collections.Concurrent;
using XSend.Tests.Client;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Session;

namespace XSend.Tests.Session;

/// <summary>
/// The long-lived session against scripted servers: a drop is bridged by XEP-0198 resumption
/// (what the server resends after our h arrives once), and a refused resumption starts a fresh
/// session that is available again and back in its rooms. Each connection runs the script with its number.
/// </summary>
public sealed class XmppSessionTests
{
    private const string Password = "pw";
    private const string Resumable = "<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>";
    private const string SelfPresence = "<presence from='ops@muc.xsend.test/alice'><x xmlns='http://jabber.org/protocol/muc#user'><status code='110'/></x></presence>";

    private static XmppSession Session(FakeXmppServer server) =>
        new(Conversation.Alice, Password, new XmppClientOptions { TrustedCertificates = TestCertificates.TrustedCa })
        {
            Server = new ServerEndpoint("127.0.0.1", server.Port),
            FirstBackoff = TimeSpan.FromMilliseconds(10),
        };

    /// <summary>The session's polite close: its h (XEP-0198 §4), then the stream's end both ways.</summary>
    private static async Task AckAndCloseAsync(ScriptedServer s, int h)
    {
        await s.ExpectAsync($"<a xmlns='urn:xmpp:sm:3' h='{h}'/>");
        await s.ExpectAsync("</stream:stream>");
        await s.SendAsync("</stream:stream>");
    }

    /// <summary>A fake server whose script learns each connection's number (from 1) and keeps each connection's view.</summary>
    private static FakeXmppServer Numbered(ConcurrentDictionary<int, ScriptedServer> seen, Func<int, ScriptedServer, Task> script)
    {
        int count = 0;
        return new FakeXmppServer(s =>
        {
            int n = Interlocked.Increment(ref count);
            seen[n] = s;
            return script(n, s);
        });
    }

    private static string Chat(string id) => $"<message from='bob@xsend.test/x' type='chat' id='{id}'><body>{id}</body></message>";

    [Fact]
    public async Task A_drop_is_bridged_by_resumption_and_every_message_arrives_once()
    {
        var seen = new ConcurrentDictionary<int, ScriptedServer>();
        await using FakeXmppServer server = Numbered(seen, async (n, s) =>
        {
            if (n == 1)
            {
                await Conversation.EstablishSessionAsync(s, Password, enabled: Resumable);
                await s.ExpectAsync("<presence/>");
                await s.SendAsync(Chat("m1") + "<r xmlns='urn:xmpp:sm:3'/>");
                await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
                await s.SendAsync(Chat("m2")); // handled by the client, but the server never hears its ack
                await s.SendAsync("<r xmlns='urn:xmpp:sm:3'/>");
                await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='2'/>");
                s.Disconnect();
                return;
            }
            await Conversation.LoginToResumeAsync(s, Password, "sm-1");
            // We handled our one stanza (the presence); the client's h says it has m1 and m2, so only m3 follows.
            await s.SendAsync("<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='1'/>");
            await s.SendAsync(Chat("m3"));
            await AckAndCloseAsync(s, 3);
        });
        await using XmppSession session = Session(server);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await session.StartAsync(bound.Token);
        string[] bodies = [
            (await session.ReceiveMessageAsync(bound.Token)).Body!,
            (await session.ReceiveMessageAsync(bound.Token)).Body!,
            (await session.ReceiveMessageAsync(bound.Token)).Body!,
        ];
        await session.CloseAsync(bound.Token);

        Assert.Equal(["m1", "m2", "m3"], bodies);
        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        Assert.Equal("2", seen[2].Captures["clientH"]);
        Assert.DoesNotContain("<presence", seen[2].Transcript); // a resumed session is still available
        Assert.Equal((1, 1), (session.Reconnections, session.Resumptions));
    }

    [Fact]
    public async Task A_refused_resumption_binds_afresh_becomes_available_and_rejoins_the_rooms()
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using FakeXmppServer server = Numbered(new(), async (n, s) =>
        {
            if (n == 1)
            {
                await Conversation.EstablishSessionAsync(s, Password, enabled: Resumable);
                await s.ExpectAsync("<presence/>");
                await s.ExpectAsync("<presence to='ops@muc.xsend.test/alice'>*</presence>");
                await s.SendAsync(SelfPresence);
                await joined.Task;
                s.Disconnect(); // say, the server restarted
                return;
            }
            await Conversation.LoginToResumeAsync(s, Password, "sm-1");
            await s.SendAsync("<failed xmlns='urn:xmpp:sm:3'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
            await s.BindAsync();
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
            await s.SendAsync(Resumable.Replace("sm-1", "sm-2"));
            await s.ExpectAsync("<presence/>");
            await s.ExpectAsync("<presence to='ops@muc.xsend.test/alice'>*</presence>");
            await s.SendAsync(SelfPresence);
            await s.SendAsync(Chat("after"));
            await AckAndCloseAsync(s, 2);
        });
        await using XmppSession session = Session(server);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await session.StartAsync(bound.Token);
        Assert.Equal("alice", await session.JoinRoomAsync(Jid.Parse("ops@muc.xsend.test"), "alice", null, bound.Token));
        joined.SetResult();
        Assert.Equal("after", (await session.ReceiveMessageAsync(bound.Token)).Body);
        await session.CloseAsync(bound.Token);

        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        Assert.Equal((1, 0), (session.Reconnections, session.Resumptions));
    }

    [Fact]
    public async Task A_permanent_failure_on_reconnecting_ends_the_session_with_that_failure()
    {
        await using FakeXmppServer server = Numbered(new(), async (n, s) =>
        {
            if (n == 1)
            {
                await Conversation.EstablishSessionAsync(s, Password, enabled: Resumable);
                await s.ExpectAsync("<presence/>");
                s.Disconnect();
                return;
            }
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>*</auth>");
            await s.SendAsync("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
        });
        await using XmppSession session = Session(server);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await session.StartAsync(bound.Token);
        await Assert.ThrowsAsync<Xmpp.Errors.XmppAuthenticationException>(() => session.ReceiveMessageAsync(bound.Token));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_send_and_a_receive_run_at_once_over_the_background_loop()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password, enabled: Resumable);
            await s.ExpectAsync("<presence/>");
            await s.ExpectAsync(Conversation.MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            // A message pushed before the ack: one loop routes it to the receiver and the ack to the sender.
            await s.SendAsync(Chat("pushed") + "<a xmlns='urn:xmpp:sm:3' h='2'/>");
            await AckAndCloseAsync(s, 1);
        });
        await using XmppSession session = Session(server);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await session.StartAsync(bound.Token);

        Task<ReceivedMessage> receiving = session.ReceiveMessageAsync(bound.Token);
        Task<string> sending = session.Client.SendMessageAsync(new OutgoingMessage(Conversation.Bob, "out"), bound.Token);
        Assert.Equal("pushed", (await receiving).Body);
        Assert.Matches("^[0-9a-f]{24}$", await sending);
        await session.CloseAsync(bound.Token);

        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
    }

    [Fact]
    public async Task A_connection_that_stops_answering_is_found_dead_by_the_keepalive_and_resumed()
    {
        var seen = new ConcurrentDictionary<int, ScriptedServer>();
        await using FakeXmppServer server = Numbered(seen, async (n, s) =>
        {
            if (n == 1)
            {
                await Conversation.EstablishSessionAsync(s, Password, enabled: Resumable);
                await s.ExpectAsync("<presence/>");
                await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>"); // the keepalive's probe, never answered
                await s.UntilClientLeavesAsync();
                return;
            }
            await Conversation.LoginToResumeAsync(s, Password, "sm-1");
            await s.SendAsync("<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='1'/>" + Chat("alive"));
            // Probes of the new connection may come first on a slow machine: each is answered.
            while (await s.ExpectOneOfAsync("<r xmlns='urn:xmpp:sm:3'/>", "<a xmlns='urn:xmpp:sm:3' h='1'/>") == 0)
                await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
            await s.ExpectAsync("</stream:stream>");
            await s.SendAsync("</stream:stream>");
        });
        var options = new XmppClientOptions
        {
            TrustedCertificates = TestCertificates.TrustedCa,
            KeepAliveInterval = TimeSpan.FromMilliseconds(300),
            KeepAliveTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var session = new XmppSession(Conversation.Alice, Password, options)
        {
            Server = new ServerEndpoint("127.0.0.1", server.Port),
            FirstBackoff = TimeSpan.FromMilliseconds(10),
        };
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await session.StartAsync(bound.Token);
        Assert.Equal("alive", (await session.ReceiveMessageAsync(bound.Token)).Body);
        await session.CloseAsync(bound.Token);

        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        Assert.Equal("0", seen[2].Captures["clientH"]);
        Assert.Equal((1, 1), (session.Reconnections, session.Resumptions));
    }
}

