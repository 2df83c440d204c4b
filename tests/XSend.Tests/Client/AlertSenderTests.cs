using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;

namespace XSend.Tests.Client;

/// <summary>The library's one-message entry point: returns the id when accepted, throws the typed failure otherwise.</summary>
public class AlertSenderTests
{
    private static AlertSender Sender(FakeXmppServer server) =>
        new(Jid.Parse("alice@xsend.test"), "pw", new XmppClientOptions { TrustedCertificates = TestCertificates.TrustedCa })
        {
            Server = new ServerEndpoint("127.0.0.1", server.Port),
            Timeout = TimeSpan.FromSeconds(5),
        };

    [Fact]
    public async Task Returns_the_id_the_server_accepted()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.AckWindowAsync();
        });

        string id = await Sender(server).SendAsync(new OutgoingMessage(Conversation.Bob, "hi") { Id = "fixed-id-1" });

        Assert.Equal("fixed-id-1", id);
        Assert.Contains("<message type='chat' id='fixed-id-1'", server.Conversation!.Transcript);
    }

    [Fact]
    public async Task Throws_the_typed_permanent_failure_without_retrying()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
        });

        var error = await Assert.ThrowsAsync<XmppAuthenticationException>(() => Sender(server).SendAsync(new OutgoingMessage(Conversation.Bob, "hi")));

        Assert.Equal("not-authorized", error.Condition);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Backoff_and_the_overall_deadline_run_on_the_given_clock()
    {
        // Nothing listens on port 1: every attempt fails at once and the sender waits to retry.
        var time = new FakeTimeProvider(PinnedDateTimeProvider.DefaultStart);
        var retries = Channel.CreateUnbounded<XmppProgress>();
        var sender = new AlertSender(Jid.Parse("alice@xsend.test"), "pw", new XmppClientOptions { TimeProvider = time })
        {
            Server = new ServerEndpoint("127.0.0.1", 1),
            Timeout = TimeSpan.FromSeconds(5),
            Progress = new ProgressSink(p =>
            {
                if (p.Step == XmppStep.WaitingToRetry)
                    retries.Writer.TryWrite(p);
            }),
        };

        Task<SendReport> send = sender.SendAsync([new OutgoingMessage(Conversation.Bob, "disk full")]);
        await retries.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(send.IsCompleted); // the wait is on the fake clock, which stands still

        time.Advance(TimeSpan.FromSeconds(1)); // past the first backoff (at most 375 ms): a second attempt, a second wait
        await retries.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(5)); // past the 5 s deadline
        SendReport report = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(MessageStatus.NotSent, Assert.Single(report.Results).Status);
        Assert.False(report.Interrupted);
        Assert.NotNull(report.Failure);
        Assert.True(report.Failure!.IsTransient);
    }

    private sealed class ProgressSink(Action<XmppProgress> report) : IProgress<XmppProgress>
    {
        public void Report(XmppProgress value) => report(value);
    }
}
