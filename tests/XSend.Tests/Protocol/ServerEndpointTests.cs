using XSend.Xmpp;

namespace XSend.Tests.Protocol;

public class ServerEndpointTests
{
    [Theory]
    [InlineData("talk.google.com", "talk.google.com", 5222)]
    [InlineData("talk.google.com:443", "talk.google.com", 443)]
    [InlineData("[::1]:15222", "::1", 15222)]
    [InlineData("::1", "::1", 5222)]
    [InlineData("127.0.0.1:1", "127.0.0.1", 1)]
    public void Parses_host_and_port(string text, string host, int port)
    {
        Assert.True(ServerEndpoint.TryParse(text, out ServerEndpoint? endpoint, out _));
        Assert.Equal(new ServerEndpoint(host, port), endpoint);
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:abc")]
    [InlineData("[::1")]
    [InlineData(":5222")]
    [InlineData("")]
    public void Rejects_bad_endpoints(string text) => Assert.False(ServerEndpoint.TryParse(text, out _, out _));

    [Theory]
    [InlineData("xmpp.example.org", 5223)]
    [InlineData("xmpp.example.org:443", 443)]
    [InlineData("::1", 5223)]
    [InlineData("[::1]:443", 443)]
    public void The_default_port_applies_only_when_none_is_written(string text, int port)
    {
        Assert.True(ServerEndpoint.TryParse(text, ServerEndpoint.DefaultDirectTlsPort, out ServerEndpoint? endpoint, out _));
        Assert.Equal(port, endpoint.Port);
    }
}
