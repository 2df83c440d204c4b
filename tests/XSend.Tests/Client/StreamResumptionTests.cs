using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;

namespace XSend.Tests.Client;

/// <summary>
/// XEP-0198 resumption in the sender: after a drop or a missing ack the server's h decides what is
/// sent again; when it cannot resume, the unconfirmed messages go again with the same ids, and
/// never a third time in a run. Each connection to the fake server runs the script with its number.
/// </summary>
public sealed class StreamResumptionTests
{
    private const string Password = "pw";
    private const string Resumable = "<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='true'/>";
    private const string AckRequest = "<r xmlns='urn:xmpp:sm:3'/>";

    private static OutgoingMessage[] Alerts(int count) =>
        Enumerable.Range(1, count).Select(i => new OutgoingMessage(Conversation.Bob, $"alert {i}") { Id = $"m{i}" }).ToArray();

    private static AlertSender Sender(FakeXmppServer server, ConcurrentQueue<MessageResult> settled, TimeSpan? timeout = null, TimeSpan? ackTimeout = null,
        TimeProvider? time = null) =>
        new(Conversation.Alice, Password, new XmppClientOptions { TrustedCertificates = TestCertificates.TrustedCa, TimeProvider = time ?? TimeProvider.System })
        {
            Server = new ServerEndpoint("127.0.0.1", server.Port),
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            AckTimeout = ackTimeout,
            Settled = settled.Enqueue,
        };

    /// <summary>
    /// A fake server whose first connection runs <c>first</c> (by default: take five messages and
    /// the ack request, then drop); every later one logs in, asks to resume sm-1 (the client's h
    /// captured as <c>{clientH}</c>) and runs <c>answer</c>. Keeps each connection's view by number.
    /// </summary>
    private sealed class ResumingServer
    {
        private int _count;

        public ResumingServer(Func<ScriptedServer, Task> answer, Func<ScriptedServer, Task>? first = null) =>
            Server = new FakeXmppServer(async s =>
            {
                int n = Interlocked.Increment(ref _count);
                Seen[n] = s;
                if (n == 1)
                {
                    await (first ?? (d => TakeAndDropAsync(d, 5)))(s);
                    return;
                }
                await Conversation.LoginToResumeAsync(s, Password, "sm-1");
                await answer(s);
            });

        public FakeXmppServer Server { get; }

        public ConcurrentDictionary<int, ScriptedServer> Seen { get; } = new();
    }

    /// <summary>The first session: takes <paramref name="count"/> messages and the ack request, then the connection drops.</summary>
    private static async Task TakeAndDropAsync(ScriptedServer s, int count, string enabled = Resumable)
    {
        await Conversation.EstablishSessionAsync(s, Password, enabled: enabled);
        for (int i = 0; i < count; i++)
            await s.ExpectAsync(Conversation.MessagePattern);
        await s.ExpectAsync(AckRequest);
        s.Disconnect();
    }

    /// <summary>The script ran to its end and every message was accepted.</summary>
    private static async Task AssertAllAcceptedAsync(FakeXmppServer server, SendReport report)
    {
        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        Assert.All(report.Results, r => Assert.Equal(MessageStatus.Accepted, r.Status));
    }

    /// <summary>Expects messages m{first}..m{last}, the ack request, acks <paramref name="h"/>, and the polite close.</summary>
    private static async Task TakeAckAndCloseAsync(ScriptedServer s, int first, int last, int h)
    {
        for (int i = first; i <= last; i++)
            await s.ExpectAsync($"<message type='chat' id='m{i}' to='bob@xsend.test'>*</message>");
        if (last >= first)
        {
            await s.ExpectAsync(AckRequest);
            await s.SendAsync($"<a xmlns='urn:xmpp:sm:3' h='{h}'/>");
        }
        await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='0'/>");
        await s.ExpectAsync("</stream:stream>");
        await s.SendAsync("</stream:stream>");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task After_a_drop_the_resumed_h_decides_what_is_sent_again(int h)
    {
        var resuming = new ResumingServer(async s =>
        {
            await s.SendAsync($"<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='{h}'/>");
            await TakeAckAndCloseAsync(s, h + 1, 5, 5);
        });
        await using FakeXmppServer server = resuming.Server;
        var settled = new ConcurrentQueue<MessageResult>();

        SendReport report = await Sender(server, settled).SendAsync(Alerts(5));

        await AssertAllAcceptedAsync(server, report);
        Assert.Null(report.Failure);
        Assert.Equal(2, server.Connections);
        Assert.Contains("<enable xmlns='urn:xmpp:sm:3' resume='true'/>", resuming.Seen[1].Transcript);
        Assert.Equal("0", resuming.Seen[2].Captures["clientH"]);
        string second = resuming.Seen[2].Transcript;
        Assert.Equal(5 - h, second.Split("<message ").Length - 1);
        for (int i = 1; i <= h; i++)
            Assert.DoesNotContain($"id='m{i}'", second);
        Assert.DoesNotContain("<bind", second); // a resumed session keeps its resource
        // Each settles once; what the server's h covered settles first, at resumption.
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"m{i}"), settled.Select(r => r.Id).Order());
        Assert.Equal(Enumerable.Range(1, h).Select(i => $"m{i}"), settled.Take(h).Select(r => r.Id).Order());
    }

    [Fact]
    public async Task Resumption_reconnects_to_the_location_the_server_named()
    {
        await using var other = new FakeXmppServer(async s =>
        {
            await Conversation.LoginToResumeAsync(s, Password, "sm-1");
            await s.SendAsync("<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='1'/>");
            await TakeAckAndCloseAsync(s, 2, 2, 2);
        });
        await using var first = new FakeXmppServer(s =>
            TakeAndDropAsync(s, 2, $"<enabled xmlns='urn:xmpp:sm:3' id='sm-1' resume='1' location='127.0.0.1:{other.Port}'/>"));
        var settled = new ConcurrentQueue<MessageResult>();

        SendReport report = await Sender(first, settled).SendAsync(Alerts(2));

        await AssertAllAcceptedAsync(other, report);
        Assert.Equal(1, first.Connections);
        Assert.Equal(1, other.Connections);
        Assert.DoesNotContain("id='m1'", other.Conversation!.Transcript);
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData(" h='3'", 4)]
    public async Task When_resumption_fails_a_new_session_resends_what_was_not_confirmed_with_the_same_ids(string failedH, int firstResent)
    {
        var resuming = new ResumingServer(async s =>
        {
            await s.SendAsync($"<failed xmlns='urn:xmpp:sm:3'{failedH}><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");
            await s.BindAsync();
            await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
            await s.SendAsync(Conversation.NotResumable);
            await TakeAckAndCloseAsync(s, firstResent, 5, 5 - firstResent + 1);
        });
        await using FakeXmppServer server = resuming.Server;
        var settled = new ConcurrentQueue<MessageResult>();

        SendReport report = await Sender(server, settled).SendAsync(Alerts(5));

        await AssertAllAcceptedAsync(server, report);
        Assert.Equal(5, settled.Count);
        Assert.Equal(5 - firstResent + 1, resuming.Seen[2].Transcript.Split("<message ").Length - 1);
    }

    [Theory]
    [InlineData("<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='6'/>", "handled 6 stanzas of the previous session but only 5 were sent")]
    [InlineData("<failed xmlns='urn:xmpp:sm:3' h='9'/>", "handled 9 stanzas of the previous session but only 5 were sent")]
    [InlineData("<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='-1'/>", "without a valid 'h'")]
    public async Task A_resumption_h_above_what_was_sent_is_a_protocol_error(string answer, string expected)
    {
        var resuming = new ResumingServer(async s =>
        {
            await s.SendAsync(answer);
            await s.UntilClientLeavesAsync();
        });
        await using FakeXmppServer server = resuming.Server;
        var settled = new ConcurrentQueue<MessageResult>();

        SendReport report = await Sender(server, settled).SendAsync(Alerts(5));

        var error = Assert.IsType<XmppProtocolException>(report.Failure);
        Assert.Contains(expected, error.Message);
        Assert.False(error.IsTransient);
        Assert.All(report.Results, r => Assert.Equal(MessageStatus.NotSent, r.Status));
        Assert.Empty(settled);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task A_missing_ack_resumes_on_a_new_connection_without_resending_what_arrived()
    {
        var resuming = new ResumingServer(async s =>
        {
            await s.SendAsync("<resumed xmlns='urn:xmpp:sm:3' previd='sm-1' h='3'/>");
            await TakeAckAndCloseAsync(s, 1, 0, 3);
        }, first: async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password, enabled: Resumable);
            for (int i = 0; i < 3; i++)
                await s.ExpectAsync(Conversation.MessagePattern);
            await s.ExpectAsync(AckRequest);
            await s.UntilClientLeavesAsync(); // takes them, never acks
        });
        await using FakeXmppServer server = resuming.Server;
        var settled = new ConcurrentQueue<MessageResult>();

        SendReport report = await Sender(server, settled, ackTimeout: TimeSpan.FromSeconds(1)).SendAsync(Alerts(3));

        await AssertAllAcceptedAsync(server, report);
        Assert.DoesNotContain("<message", resuming.Seen[2].Transcript);
    }

    [Fact]
    public async Task A_server_that_never_acks_gets_each_alert_at_most_twice_in_a_run()
    {
        // The case: --timeout 6 against a server that takes messages and never acks
        // used to deliver one alert three times (one per reconnection).
        int copies = 0;
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            await s.ExpectAsync("<message type='chat' id='m1' to='bob@xsend.test'>*</message>");
            Interlocked.Increment(ref copies);
            await s.UntilClientLeavesAsync();
        });
        var settled = new ConcurrentQueue<MessageResult>();
        var clock = Stopwatch.StartNew();

        SendReport report = await Sender(server, settled, timeout: TimeSpan.FromSeconds(6)).SendAsync(Alerts(1));

        Assert.Equal(AlertSender.MaxTransmissions, copies);
        Assert.Equal(MessageStatus.NotSent, Assert.Single(report.Results).Status);
        Assert.IsType<XmppTimeoutException>(report.Failure);
        Assert.True(report.Failure!.IsTransient); // so the CLI queues it
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8)); // the 6 s deadline, with room for a loaded machine
        Assert.Empty(settled);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_interruption_writes_nothing_more_but_takes_the_ack_already_asked_for(bool serverAcks)
    {
        // The grace after the interruption runs on a fake clock: it ends only when the test says.
        var time = new FakeTimeProvider(PinnedDateTimeProvider.DefaultStart);
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            for (int i = 0; i < 3; i++)
                await s.ExpectAsync(Conversation.MessagePattern);
            await s.ExpectAsync(AckRequest);
            taken.TrySetResult();
            await interrupted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (!serverAcks)
            {
                await s.UntilClientLeavesAsync();
                return;
            }
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='3'/>");
            await s.ExpectAsync("*</stream:stream>"); // nothing more is written: it closes
            await s.SendAsync("</stream:stream>");
        }, maxConnections: 1);
        var settled = new ConcurrentQueue<MessageResult>();
        using var sigterm = new CancellationTokenSource();

        Task<SendReport> sending = Sender(server, settled, time: time).SendAsync(Alerts(3), sigterm.Token);
        await taken.Task.WaitAsync(TimeSpan.FromSeconds(10));
        sigterm.Cancel();
        interrupted.TrySetResult();
        if (!serverAcks)
            time.Advance(TimeSpan.FromSeconds(1)); // past the grace
        SendReport report = await sending.WaitAsync(TimeSpan.FromSeconds(10));

        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        Assert.Equal(1, server.Connections); // no retry after an interruption
        MessageStatus expected = serverAcks ? MessageStatus.Accepted : MessageStatus.NotSent;
        Assert.All(report.Results, r => Assert.Equal(expected, r.Status));
        Assert.Equal(serverAcks ? 3 : 0, settled.Count);
        Assert.Equal(!serverAcks, report.Interrupted);
    }
}
