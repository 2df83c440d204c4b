using XSend.Tests.Fakes;
using XSend.Xmpp;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Tls;
using static XSend.Tests.Client.Conversation;

namespace XSend.Tests.Protocol;

/// <summary>The incremental reader refuses DTDs, entity tricks, junk and oversized elements.</summary>
public class HostileServerXmlTests
{
    private static async Task<Exception?> ServerSendsAsync(string afterClientHeader, long maxStanzaBytes = 1024 * 1024)
    {
        var (error, _) = await RunAsync(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(afterClientHeader);
            await Task.Delay(TimeSpan.FromSeconds(5)); // the client must fail without waiting for more
        }, _ => Task.CompletedTask, new XmppClientOptions { Tls = TlsRequirement.Optional, MaxStanzaBytes = maxStanzaBytes });
        return error;
    }

    [Fact]
    public async Task A_dtd_is_refused_and_entities_are_never_expanded()
    {
        Exception? error = await ServerSendsAsync(
            "<?xml version='1.0'?><!DOCTYPE lol [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
            + "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");

        var protocol = Assert.IsType<XmppProtocolException>(error);
        Assert.Contains("DTD", protocol.Message);
    }

    [Fact]
    public async Task Malformed_xml_is_a_protocol_error()
    {
        Exception? error = await ServerSendsAsync(ScriptedServer.ServerHeader + "<stream:features><a></b></stream:features>");
        Assert.Contains("malformed XML", Assert.IsType<XmppProtocolException>(error).Message);
    }

    [Fact]
    public async Task An_element_over_the_size_limit_is_refused()
    {
        string huge = new('x', 64 * 1024);
        Exception? error = await ServerSendsAsync(ScriptedServer.ServerHeader + $"<stream:features><junk>{huge}</junk></stream:features>", maxStanzaBytes: 16 * 1024);
        Assert.Contains("larger than 16384 bytes", Assert.IsType<XmppProtocolException>(error).Message);
    }

    [Fact]
    public async Task A_wrong_root_element_is_a_protocol_error()
    {
        Exception? error = await ServerSendsAsync("<?xml version='1.0'?><html><body>proxy login</body></html>");
        Assert.Contains("stream:stream", Assert.IsType<XmppProtocolException>(error).Message);
    }

    [Fact]
    public async Task A_pre_1_0_stream_is_refused()
    {
        Exception? error = await ServerSendsAsync(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='x'>");
        Assert.Contains("XMPP 1.0", Assert.IsType<XmppProtocolException>(error).Message);
    }
}
