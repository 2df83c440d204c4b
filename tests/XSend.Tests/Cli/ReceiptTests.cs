using System.Security.Cryptography;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>--wait-receipt: an XEP-0184 receipt is requested and waited for; none means exit 80, not a resend.</summary>
public sealed class ReceiptTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static async Task AcceptedAsync(ScriptedServer s)
    {
        await Conversation.EstablishSessionAsync(s, "pw");
        await s.ExpectAsync("<message type='chat' id='{msgId}' to='bob@xsend.test'><body>hi</body><request xmlns='urn:xmpp:receipts'/>*</message>");
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
        await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
    }

    private Task<CliResult> SendAsync(FakeXmppServer server, string wait) =>
        _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath,
            wait, "bob@xsend.test", "hi"]);

    [Fact]
    public async Task A_receipt_from_the_recipient_completes_the_send()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await AcceptedAsync(s);
            await s.SendAsync("<message from='bob@xsend.test/phone' to='alice@xsend.test/{resource}'><received xmlns='urn:xmpp:receipts' id='{msgId}'/></message>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await SendAsync(server, "--wait-receipt");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Empty(result.ErrorLines); // only the --password warning
    }

    [Fact]
    public async Task No_receipt_in_time_exits_80_and_is_not_queued()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await AcceptedAsync(s);
            await Task.Delay(TimeSpan.FromSeconds(10));
        });

        CliResult result = await SendAsync(server, "--wait-receipt=1.5");

        Assert.Equal(80, result.ExitCode);
        Assert.Equal("xsend: the server accepted the message, but no delivery receipt came from bob@xsend.test within 1.5 s", Assert.Single(result.ErrorLines));
        Assert.InRange(result.Elapsed.TotalSeconds, 1.4, 6);
        Assert.Empty(_cli.QueuedAlerts);
    }
}
