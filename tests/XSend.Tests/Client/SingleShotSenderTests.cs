using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;

namespace XSend.Tests.Client;

/// <summary>The library's one-message entry point: returns the id when accepted, throws the typed failure otherwise.</summary>
public class SingleShotSenderTests
{
    private static SingleShotSender Sender(FakeXmppServer server) =>
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
}
