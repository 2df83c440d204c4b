using System.Net;
using XSend.Tests.Fakes;
using XSend.Xmpp;

namespace XSend.Tests.Client;

/// <summary>Every address of a host is tried in turn, and each attempt is recorded for `xsend check`.</summary>
public class ConnectionAttemptTests
{
    [Fact]
    public async Task A_dead_first_address_is_recorded_and_the_next_one_is_used()
    {
        await using var server = new FakeXmppServer(s => s.OpenStreamAsync(ScriptedServer.StartTlsFeature));
        var options = new XmppClientOptions
        {
            // [::1] has no listener on this port (the fake listens on 127.0.0.1 only).
            ResolveHost = (_, _) => Task.FromResult(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback }),
            TrustedCertificates = TestCertificates.TrustedCa,
        };
        await using var client = new XmppClient(Jid.Parse("alice@xsend.test"), options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync("xmpp.xsend.test", server.Port, timeout.Token));

        Assert.Equal(2, client.ConnectionAttempts.Count);
        Assert.StartsWith($"[::1]:{server.Port} ", client.ConnectionAttempts[0]);
        Assert.DoesNotContain("connected", client.ConnectionAttempts[0]);
        Assert.Equal($"127.0.0.1:{server.Port} connected", client.ConnectionAttempts[1]);
    }
}
