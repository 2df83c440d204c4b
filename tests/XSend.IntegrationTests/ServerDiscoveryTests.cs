using System.Net;
using System.Net.Sockets;
using XSend.Tests.Fakes;

namespace XSend.IntegrationTests;

/// <summary>
/// Reaching a real Prosody the ways a deployed server is found: direct TLS (Prosody's
/// c2s_direct_tls_ports), and SRV records served by a loopback DNS server, with a dead first
/// target and an _xmpps-client record.
/// </summary>
[Collection(ProsodyCollection.Name)]
public sealed class ServerDiscoveryTests(ProsodyFixture prosody) : IAsyncLifetime
{
    private readonly FakeDnsServer _dns = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Direct_tls_to_prosody_delivers()
    {
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "tom");
        string config = prosody.WriteConfig("alice", server: $"127.0.0.1:{prosody.DirectTlsPort}");

        ProcessResult result = await XsendProcess.RunAsync(["--config", config, "--direct-tls", "-v", "--timeout", "20", "tom@xsend.test", "over direct TLS"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("(direct TLS)", result.Stderr);
        Assert.Equal("over direct TLS", Assert.Single(await bob.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Srv_records_lead_past_a_dead_target_to_prosody()
    {
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "uma");
        int dead = ClosedPort();
        _dns.Srv("_xmpp-client._tcp.xsend.test", 5, 0, (ushort)dead, "down.xsend.test")
            .Srv("_xmpp-client._tcp.xsend.test", 10, 0, (ushort)prosody.Port, "xmpp.xsend.test")
            .Address("down.xsend.test", IPAddress.Loopback)
            .Address("xmpp.xsend.test", IPAddress.Loopback);
        string config = prosody.WriteConfig("alice", server: "", dnsServer: _dns.Endpoint.ToString());

        ProcessResult result = await XsendProcess.RunAsync(["--config", config, "-v", "--timeout", "20", "uma@xsend.test", "found by SRV"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"SRV: down.xsend.test:{dead}, xmpp.xsend.test:{prosody.Port}", result.Stderr);
        Assert.Equal("found by SRV", Assert.Single(await bob.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task An_xmpps_client_record_reaches_prosodys_direct_tls_port()
    {
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "vic");
        _dns.Srv("_xmpps-client._tcp.xsend.test", 0, 0, (ushort)prosody.DirectTlsPort, "xmpp.xsend.test")
            .Address("xmpp.xsend.test", IPAddress.Loopback);
        string config = prosody.WriteConfig("alice", server: "", dnsServer: _dns.Endpoint.ToString());

        ProcessResult result = await XsendProcess.RunAsync(["--config", config, "-v", "--timeout", "20", "vic@xsend.test", "xmpps SRV"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"SRV: xmpp.xsend.test:{prosody.DirectTlsPort} (direct TLS)", result.Stderr);
        Assert.Equal("xmpps SRV", Assert.Single(await bob.ReceiveAsync()).Body);
    }
}
