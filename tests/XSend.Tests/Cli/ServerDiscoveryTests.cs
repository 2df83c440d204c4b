using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// Finding the server: SRV records from a loopback DNS server the test runs (the real DnsClient
/// path), direct TLS with SNI and ALPN, the "." target, the NXDOMAIN fallback, and Happy
/// Eyeballs past an address that swallows connection attempts.
/// </summary>
public sealed class ServerDiscoveryTests : IAsyncDisposable
{
    private const string Password = "s3cret-Pa55";
    private readonly CliHarness _cli = new();
    private readonly FakeDnsServer _dns = new();

    public async ValueTask DisposeAsync()
    {
        _cli.Dispose();
        await _dns.DisposeAsync();
    }

    private bool _verbose = true;

    private Task<CliResult> SendAsync(params string[] extra)
    {
        if (_verbose)
            extra = ["-v", .. extra];
        _cli.Variables["XSEND_DNS__SERVER"] = _dns.Endpoint.ToString();
        return _cli.SendAlertAsync(Password, ["--ca-file", TestCertificates.CaPemPath, .. extra]);
    }

    internal static async Task SessionAfterTlsAsync(ScriptedServer s, string mechanisms = "<mechanism>SCRAM-SHA-1</mechanism>",
        ScramServer? scram = null, string otherFeatures = "")
    {
        await s.OpenStreamAsync($"<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{mechanisms}</mechanisms>{otherFeatures}");
        await SessionAfterSaslFeaturesAsync(s, scram);
    }

    /// <summary>SCRAM, bind, SM, one acked message and a clean close, after the SASL features went out.</summary>
    internal static async Task SessionAfterSaslFeaturesAsync(ScriptedServer s, ScramServer? scram = null)
    {
        await Conversation.AuthenticatedSessionAsync(s, scram ?? new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, Password));
        await s.ExpectAsync(Conversation.MessagePattern);
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
        await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='0'/>");
        await s.ExpectAsync("</stream:stream>");
        await s.SendAsync("</stream:stream>");
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }

    [Fact]
    public async Task Srv_targets_are_tried_by_priority_and_a_dead_first_one_is_passed_over()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await SessionAfterSaslFeaturesAsync(s);
        });
        int deadPort = ClosedPort();
        _dns.Srv("_xmpp-client._tcp.xsend.test", 20, 5, (ushort)server.Port, "live.xsend.test")
            .Srv("_xmpp-client._tcp.xsend.test", 10, 5, (ushort)deadPort, "dead.xsend.test")
            .Address("live.xsend.test", IPAddress.Loopback)
            .Address("dead.xsend.test", IPAddress.Loopback);

        CliResult result = await SendAsync();

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains($"SRV: dead.xsend.test:{deadPort}, live.xsend.test:{server.Port}", result.Stderr);
        Assert.Contains($"dead.xsend.test:{deadPort}: connection refused", result.Stderr);
        Assert.Contains("_xmpps-client._tcp.xsend.test 33", _dns.Questions);
    }

    [Fact]
    public async Task An_xmpps_client_record_means_direct_tls_with_the_domain_as_sni_and_xmpp_client_alpn()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.AcceptDirectTlsAsync(TestCertificates.Server);
            await SessionAfterTlsAsync(s);
        });
        _dns.Srv("_xmpps-client._tcp.xsend.test", 0, 0, (ushort)server.Port, "tls.xsend.test").Address("tls.xsend.test", IPAddress.Loopback);

        CliResult result = await SendAsync();

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains("(direct TLS)", result.Stderr);
        Assert.Equal("xsend.test", server.Conversation!.Sni);
        Assert.Equal("xmpp-client", server.Conversation.Alpn);
        Assert.DoesNotContain("<starttls", server.Conversation.Transcript);
    }

    [Fact]
    public async Task Direct_tls_to_an_explicit_server_with_the_flag()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.AcceptDirectTlsAsync(TestCertificates.Server);
            await SessionAfterTlsAsync(s);
        });

        CliResult result = await SendAsync("--server", server.Endpoint, "--direct-tls");

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Equal("xmpp-client", server.Conversation!.Alpn);
        Assert.DoesNotContain(_dns.Questions, q => q.Contains("_xmpp", StringComparison.Ordinal)); // an explicit server skips SRV
    }

    [Fact]
    public async Task A_dot_target_says_the_domain_has_no_xmpp_service()
    {
        _dns.Srv("_xmpp-client._tcp.xsend.test", 0, 0, 0, ".");
        _verbose = false;

        CliResult result = await SendAsync("--timeout", "5");

        Assert.Equal(68, result.ExitCode);
        Assert.Equal("xsend: xsend.test says it offers no XMPP client service (its SRV record's target is \".\")", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Nxdomain_falls_back_to_the_domain_on_port_5222()
    {
        _dns.Address("xsend.test", IPAddress.Parse("127.0.0.9"));

        CliResult result = await SendAsync("--timeout", "3");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no SRV records; using xsend.test:5222", result.Stderr);
        Assert.Contains("connection refused by xsend.test:5222", result.Stderr);
        Assert.Contains("xsend.test 1", _dns.Questions); // the fallback host resolved through the same DNS server
    }

    [Fact]
    public async Task Happy_eyeballs_a_dead_first_address_costs_a_quarter_second_not_the_deadline()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await SessionAfterSaslFeaturesAsync(s);
        });
        // 127.0.0.2 on the same port with a full accept queue: the kernel drops further SYNs, so a
        // connection attempt there hangs, as with a blackholed address.
        using var blackhole = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blackhole.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), server.Port));
        blackhole.Listen(0);
        var fillers = new List<Socket>();
        var connected = new List<Task>();
        for (int i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            connected.Add(filler.ConnectAsync(blackhole.LocalEndPoint!));
            fillers.Add(filler);
        }
        // The queue is full once a filler got in: wait for that, not for a guessed time.
        await Task.WhenAny(connected).WaitAsync(TimeSpan.FromSeconds(5));
        _cli.ResolveHost = (_, _) => Task.FromResult(new[] { IPAddress.Parse("127.0.0.2"), IPAddress.Loopback });

        var clock = Stopwatch.StartNew();
        CliResult result = await SendAsync("--server", $"dual.xsend.test:{server.Port}", "--timeout", "8");
        clock.Stop();
        fillers.ForEach(f => f.Dispose());
        await Task.WhenAll(connected.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))); // observe the aborted connects

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }
}
