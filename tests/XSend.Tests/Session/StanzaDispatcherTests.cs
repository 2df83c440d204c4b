using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Session;

namespace XSend.Tests.Session;

/// <summary>
/// The dispatcher's routing, table-driven over raw server XML: what each inbound element makes
/// the client write, and where it goes (waiters, queues, counters).
/// </summary>
public class StanzaDispatcherTests
{
    private const string Sm = "urn:xmpp:sm:3";

    /// <summary>Server XML → exactly what the client writes in answer (nothing, for most).</summary>
    public static TheoryData<string, string, string[]> Answers => new()
    {
        { "an ack request gets our h", $"<r xmlns='{Sm}'/>", [$"<a xmlns='{Sm}' h='0'/>"] },
        { "a ping gets a result", "<iq type='get' id='p1' from='xsend.test'><ping xmlns='urn:xmpp:ping'/></iq>", ["<iq type='result' id='p1' to='xsend.test'/>"] },
        {
            "an unknown get is refused", "<iq type='get' id='v1' from='bob@xsend.test/x'><query xmlns='jabber:iq:version'/></iq>",
            ["<iq type='error' id='v1' to='bob@xsend.test/x'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"]
        },
        {
            "an unknown set is refused", "<iq type='set' id='s1' from='bob@xsend.test/x'><x xmlns='urn:example'/></iq>",
            ["<iq type='error' id='s1' to='bob@xsend.test/x'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"]
        },
        { "a roster push from our server is acknowledged", "<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='bob@xsend.test'/></query></iq>", ["<iq type='result' id='r1'/>"] },
        {
            "a roster push from a stranger is refused", "<iq type='set' id='r2' from='eve@evil.example'><query xmlns='jabber:iq:roster'/></iq>",
            ["<iq type='error' id='r2' to='eve@evil.example'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>"]
        },
        {
            "a receipt request is answered", "<message type='chat' id='m1' from='bob@xsend.test/x'><body>hi</body><request xmlns='urn:xmpp:receipts'/></message>",
            ["<message to='bob@xsend.test/x' id='m1-receipt'><received xmlns='urn:xmpp:receipts' id='m1'/></message>"]
        },
        { "a groupchat receipt request is not answered", "<message type='groupchat' id='g1' from='room@muc.xsend.test/bob'><body>hi</body><request xmlns='urn:xmpp:receipts'/></message>", [] },
        { "an error message's receipt request is not answered", "<message type='error' id='e1' from='bob@xsend.test/x'><request xmlns='urn:xmpp:receipts'/></message>", [] },
        { "an answer nobody waits for is dropped", "<iq type='result' id='nobody'/>", [] },
        { "an error answer nobody waits for is dropped", "<iq type='error' id='nobody'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", [] },
        { "a presence is not answered", "<presence from='bob@xsend.test/x'/>", [] },
        { "a negotiation element out of place is ignored", $"<enabled xmlns='{Sm}' id='x'/>", [] },
        { "an element of another namespace is ignored", "<features xmlns='http://etherx.jabber.org/streams'/>", [] },
        { "a receipt for a message we did not send is ignored", "<message from='bob@xsend.test/x'><received xmlns='urn:xmpp:receipts' id='not-ours'/></message>", [] },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Routing_answers_what_must_be_answered(string because, string serverXml, string[] expected)
    {
        var host = new ScriptedHost { SendReceipts = true };
        var dispatcher = new StanzaDispatcher(host);
        await RouteAllAsync(host, dispatcher, serverXml);
        Assert.True(expected.SequenceEqual(host.Written), $"{because}: wrote [{string.Join(", ", host.Written)}]");
    }

    /// <summary>Server XML → whether a receiver keeps it as a message, a presence, or neither.</summary>
    public static TheoryData<string, int, int> Queues => new()
    {
        { "<message type='chat' from='bob@xsend.test/x' id='m1'><body>hi</body></message>", 1, 0 },
        { "<message from='bob@xsend.test/x'><body>normal</body></message>", 1, 0 },
        { "<message type='chat' from='bob@xsend.test/x'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>", 0, 0 },
        { "<presence from='bob@xsend.test/x'/>", 0, 1 },
        { "<presence type='unavailable' from='bob@xsend.test/x'/>", 0, 1 },
        { "<iq type='result' id='x'/>", 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Queues))]
    public async Task A_receiver_keeps_messages_with_a_body_and_presences(string serverXml, int messages, int presences)
    {
        var host = new ScriptedHost();
        var dispatcher = new StanzaDispatcher(host);
        dispatcher.StartReceiving();
        await RouteAllAsync(host, dispatcher, serverXml);
        using var nothingMore = new CancellationTokenSource();
        await nothingMore.CancelAsync();
        Assert.Equal(messages, await CountReceivedAsync(() => dispatcher.ReceiveMessageAsync(nothingMore.Token)));
        Assert.Equal(presences, await CountReceivedAsync(() => dispatcher.ReceivePresenceAsync(nothingMore.Token)));
        Assert.Equal(0, dispatcher.DroppedStanzas);
    }

    [Fact]
    public async Task A_pure_sender_keeps_nothing_pushed_and_counts_it()
    {
        var host = new ScriptedHost();
        var dispatcher = new StanzaDispatcher(host);
        await RouteAllAsync(host, dispatcher, "<message from='bob@xsend.test/x'><body>1</body></message><presence from='bob@xsend.test/x'/>");
        Assert.Equal(2, dispatcher.DroppedStanzas);
    }

    [Fact]
    public async Task The_message_queue_drops_the_oldest_beyond_its_bound_and_counts_them()
    {
        var host = new ScriptedHost();
        var dispatcher = new StanzaDispatcher(host);
        dispatcher.StartReceiving();
        for (int i = 0; i < 1005; i++)
            host.Push($"<message from='bob@xsend.test/x' id='m{i}'><body>{i}</body></message>");
        for (int i = 0; i < 1005; i++)
            await dispatcher.RouteAsync(await host.ReadElementAsync(default), default);
        Assert.Equal(5, dispatcher.DroppedStanzas);
        Assert.Equal("5", (await dispatcher.ReceiveMessageAsync(default)).Body);
    }

    [Fact]
    public async Task Stanzas_are_counted_for_our_h_and_acks_trim_what_is_resent_after_resumption()
    {
        var host = new ScriptedHost { IsStreamManagementEnabled = true };
        var dispatcher = new StanzaDispatcher(host);
        await dispatcher.WriteStanzaAsync("<message id='a'/>", default, "a");
        await dispatcher.WriteStanzaAsync("<message id='b'/>", default, "b");
        await RouteAllAsync(host, dispatcher, $"<presence from='bob@xsend.test/x'/><message from='bob@xsend.test/x'/><a xmlns='{Sm}' h='1'/><r xmlns='{Sm}'/>");
        Assert.Equal($"<a xmlns='{Sm}' h='2'/>", host.Written[^1]);
        Assert.Equal(["b"], dispatcher.ReadStreamManagement(sm => sm.Unacked.Select(u => u.MessageId).ToList()));
    }

    [Theory]
    [InlineData("<a xmlns='urn:xmpp:sm:3' h='3'/>", "acked 3 stanzas but only 2 were sent")]
    [InlineData("<a xmlns='urn:xmpp:sm:3' h='-1'/>", "without a valid 'h'")]
    [InlineData("<a xmlns='urn:xmpp:sm:3'/>", "without a valid 'h'")]
    public async Task An_ack_beyond_what_was_sent_is_a_protocol_error(string ack, string message)
    {
        var host = new ScriptedHost { IsStreamManagementEnabled = true };
        var dispatcher = new StanzaDispatcher(host);
        await dispatcher.WriteStanzaAsync("<message id='a'/>", default, "a");
        await dispatcher.WriteStanzaAsync("<message id='b'/>", default, "b");
        var error = await Assert.ThrowsAsync<XmppProtocolException>(() => RouteAllAsync(host, dispatcher, ack));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_pumped_query_reads_until_its_answer_routing_everything_before_it()
    {
        var host = new ScriptedHost();
        var dispatcher = new StanzaDispatcher(host);
        Task<System.Xml.Linq.XElement> query = dispatcher.QueryAsync("get", "xsend.test", "<query xmlns='jabber:iq:roster'/>", XmppStep.Querying, default);
        string request = await host.NextWriteAsync();
        string id = System.Text.RegularExpressions.Regex.Match(request, "id='([0-9a-f]+)'").Groups[1].Value;
        host.Push($"<iq type='get' id='p' from='xsend.test'><ping xmlns='urn:xmpp:ping'/></iq><iq type='result' id='other'/><iq type='result' id='{id}'><query xmlns='jabber:iq:roster'/></iq>");
        var answer = await query.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(id, answer.Attribute("id")?.Value);
        Assert.Equal("<iq type='result' id='p' to='xsend.test'/>", await host.NextWriteAsync());
    }

    [Fact]
    public async Task In_the_background_loop_an_error_answer_reaches_its_waiter_as_a_stanza_error()
    {
        var host = new ScriptedHost();
        var dispatcher = new StanzaDispatcher(host);
        using var stop = new CancellationTokenSource();
        Task<Exception> loop = dispatcher.RunAsync(null, stop.Token);
        Task<System.Xml.Linq.XElement> query = dispatcher.QueryAsync("get", "xsend.test", "<query xmlns='urn:example'/>", XmppStep.Querying, default);
        string id = System.Text.RegularExpressions.Regex.Match(await host.NextWriteAsync(), "id='([0-9a-f]+)'").Groups[1].Value;
        host.Push($"<iq type='error' id='{id}'><error type='cancel'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        var refused = await Assert.ThrowsAsync<XmppStanzaException>(() => query.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("feature-not-implemented", refused.Condition);
        await stop.CancelAsync();
        Assert.IsAssignableFrom<OperationCanceledException>(await loop.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task When_the_stream_fails_every_waiter_gets_the_same_typed_exception()
    {
        var host = new ScriptedHost { IsStreamManagementEnabled = true };
        var dispatcher = new StanzaDispatcher(host);
        Task<Exception> loop = dispatcher.RunAsync(null, default);
        Task<System.Xml.Linq.XElement> query = dispatcher.QueryAsync("get", null, "<query xmlns='jabber:iq:roster'/>", XmppStep.Querying, default);
        Task<ReceivedMessage> receive = dispatcher.ReceiveMessageAsync(default);
        Task<Dictionary<string, XmppStanzaException>> confirm = dispatcher.ConfirmAsync(["x"], default);
        await host.NextWriteAsync();
        await host.NextWriteAsync();
        var failure = new XmppStreamException("system-shutdown", "bye", null, unverified: false);
        host.Fail(failure);
        Assert.Same(failure, await loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Same(failure, await Assert.ThrowsAsync<XmppStreamException>(() => query));
        Assert.Same(failure, await Assert.ThrowsAsync<XmppStreamException>(() => receive));
        Assert.Same(failure, await Assert.ThrowsAsync<XmppStreamException>(() => confirm));
        // And whatever comes later fails at once, without writing.
        await Assert.ThrowsAsync<XmppStreamException>(() => dispatcher.WriteStanzaAsync("<message/>", default));
    }

    [Fact]
    public async Task A_bounce_of_our_message_settles_its_confirmation_without_an_ack()
    {
        var host = new ScriptedHost { IsStreamManagementEnabled = true };
        var dispatcher = new StanzaDispatcher(host);
        await dispatcher.WriteStanzaAsync("<message id='m1'/>", default, "m1");
        Task<Dictionary<string, XmppStanzaException>> confirm = dispatcher.ConfirmAsync(["m1"], default);
        host.Push("<message type='error' id='m1' from='nobody@xsend.test'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error><body>kept out of the inbox</body></message>");
        var bounces = await confirm.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("item-not-found", bounces["m1"].Condition);
        Assert.Equal(0, dispatcher.DroppedStanzas);
    }

    [Fact]
    public async Task A_reflection_from_a_joined_room_is_noted_for_our_ids_only()
    {
        var host = new ScriptedHost();
        var dispatcher = new StanzaDispatcher(host);
        dispatcher.SetRoom("ops@muc.xsend.test", "alice");
        await dispatcher.WriteStanzaAsync("<message id='g1'/>", default, "g1");
        host.Push("<message type='groupchat' from='ops@muc.xsend.test/alice' id='someone-else'><body>x</body></message>"
            + "<message type='groupchat' from='ops@muc.xsend.test/bob' id='g1'><body>bob's echo of our id is not a reflection</body></message>"
            + "<message type='groupchat' from='ops@muc.xsend.test/alice' id='server-id'><body>x</body><origin-id xmlns='urn:xmpp:sid:0' id='g1'/></message>");
        await dispatcher.AwaitReflectionAsync("g1", default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, dispatcher.DroppedStanzas); // bob's message, nobody receiving
    }

    private static async Task RouteAllAsync(ScriptedHost host, StanzaDispatcher dispatcher, string serverXml)
    {
        int count = System.Xml.Linq.XElement.Parse($"<s xmlns='jabber:client'>{serverXml}</s>").Elements().Count();
        host.Push(serverXml);
        for (int i = 0; i < count; i++)
            await dispatcher.RouteAsync(await host.ReadElementAsync(default), default);
    }

    private static async Task<int> CountReceivedAsync<T>(Func<Task<T>> receive)
    {
        int count = 0;
        for (int i = 0; i < 10; i++)
        {
            try
            {
                await receive();
                count++;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return count;
    }
}
