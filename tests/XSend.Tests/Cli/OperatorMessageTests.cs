using System.Net;
using System.Text.Json;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// Messages a person reads: check's lines, check --json on failure, a stalled disco query named
/// as such, an empty outbox, and TLS ports mixed up.
/// </summary>
public sealed class OperatorMessageTests : IAsyncDisposable
{
    private const string Password = "pw";
    private readonly CliHarness _cli = new();
    private readonly FakeDnsServer _dns = new();

    public async ValueTask DisposeAsync()
    {
        _cli.Dispose();
        await _dns.DisposeAsync();
    }

    private Task<CliResult> CheckAsync(params string[] options) => _cli.RunAsync(
        ["check", "--jid", "alice@xsend.test", "--password", Password, "--ca-file", TestCertificates.CaPemPath, .. options]);

    private const string DiscoInfo = "<iq type='get' id='{id}' to='{to}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>";

    /// <summary>A session that answers the server's disco#info and an empty disco#items, then closes.</summary>
    private static FakeXmppServer DiscoServer() => new(async s =>
    {
        await Conversation.EstablishSessionAsync(s, Password);
        await s.ExpectAsync(DiscoInfo);
        await s.SendAsync("<iq type='result' id='{id}' from='{to}'><query xmlns='http://jabber.org/protocol/disco#info'><feature var='urn:xmpp:ping'/></query></iq>");
        await s.ExpectAsync("<iq type='get' id='{id}' to='{to}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        await s.SendAsync("<iq type='result' id='{id}' from='{to}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        await s.ExpectAsync("*</stream:stream>");
        await s.SendAsync("</stream:stream>");
    });

    [Fact]
    public async Task Check_names_srv_once_with_an_explicit_server()
    {
        await using FakeXmppServer server = DiscoServer();

        CliResult result = await CheckAsync("--server", server.Endpoint);

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains($"(reached {server.Endpoint}; SRV skipped: explicit server)", result.Stdout);
    }

    [Fact]
    public async Task Check_names_srv_once_with_records()
    {
        await using FakeXmppServer server = DiscoServer();
        _dns.Srv("_xmpp-client._tcp.xsend.test", 10, 5, (ushort)server.Port, "live.xsend.test").Address("live.xsend.test", IPAddress.Loopback);
        _cli.Variables["XSEND_DNS__SERVER"] = _dns.Endpoint.ToString();

        CliResult result = await CheckAsync();

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains($"; SRV: live.xsend.test:{server.Port})", result.Stdout);
        Assert.DoesNotContain("SRV SRV", result.Stdout);
    }

    [Fact]
    public async Task A_failed_dns_lookup_reads_as_one_sentence()
    {
        _dns.Fail("_xmpps-client._tcp.xsend.test").Fail("_xmpp-client._tcp.xsend.test").Fail("xsend.test");
        _cli.Variables["XSEND_DNS__SERVER"] = _dns.Endpoint.ToString();

        CliResult result = await CheckAsync("-v", "--timeout", "5");

        Assert.Contains("] SRV lookup failed (Server Failure); using xsend.test:5222\n", result.Stderr);
        Assert.DoesNotContain(".)", result.Stderr);
        Assert.DoesNotContain(".;", result.Stderr);
    }

    [Fact]
    public async Task A_stalled_disco_query_is_named_as_such()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            await s.ExpectAsync(DiscoInfo);
            await s.ExpectAsync("*</stream:stream>"); // never answers
        });

        CliResult result = await CheckAsync("--server", server.Endpoint, "--timeout", "2");

        Assert.Equal(75, result.ExitCode);
        Assert.Equal("xsend: timed out after 2 s while asking the server for its features (service discovery)", Assert.Single(result.ErrorLines));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(4), $"took {result.Elapsed}");
    }

    [Fact]
    public async Task Check_json_prints_the_code_and_the_reason_on_failure()
    {
        AssertJsonFailure(await CheckAsync("--json", "--server", "127.0.0.1:1", "--timeout", "2"), 69);
    }

    /// <summary>The exit code, and on stdout the JSON object that carries it and the stderr line's reason.</summary>
    private static void AssertJsonFailure(CliResult result, int code)
    {
        Assert.Equal(code, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(code, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(line, "xsend: " + json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Check_json_on_a_config_error_is_an_object_too()
    {
        CliResult result = await _cli.RunAsync(["check", "--json"]);

        Assert.Equal(78, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(78, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.StartsWith("no account configured", json.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("--timeout", "NaN")]
    [InlineData("--bogus")]
    public async Task Check_json_on_a_usage_error_is_an_object_too(params string[] bad)
    {
        AssertJsonFailure(await _cli.RunAsync(["check", "--json", .. bad]), 64);
    }

    [Fact]
    public async Task An_empty_outbox_list_says_so_on_stderr()
    {
        CliResult result = await _cli.RunAsync(["outbox", "list"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"xsend: no alerts are queued in {_cli.OutboxDirectory}", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Direct_tls_to_a_starttls_port_says_the_port_speaks_starttls()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            // What Prosody answers a ClientHello with on its STARTTLS port.
            await s.SendAsync("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='' xml:lang='en'>"
                + "<stream:error><not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        });

        CliResult result = await _cli.SendAlertAsync(Password, "--server", server.Endpoint, "--direct-tls", "--ca-file", TestCertificates.CaPemPath);

        Assert.Equal(78, result.ExitCode);
        Assert.Equal("xsend: the server answered the TLS handshake in plain XML: the port seems to speak STARTTLS, a configuration mistake; "
            + "drop --direct-tls, or use the direct TLS port (usually 5223)", Assert.Single(result.ErrorLines));
        Assert.Equal(1, server.Connections); // not retried as temporary
    }

    [Fact]
    public async Task Starttls_to_a_direct_tls_port_is_a_configuration_mistake_not_retried()
    {
        await using var server = new FakeXmppServer(s => s.AcceptDirectTlsAsync(TestCertificates.Server));

        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password", Password, "--server", server.Endpoint,
            "--ca-file", TestCertificates.CaPemPath, "--timeout", "10", "bob@xsend.test", "hi"]);

        Assert.Equal(78, result.ExitCode);
        Assert.Equal($"xsend: {server.Endpoint} did not answer the XMPP stream header but speaks TLS: it is a direct TLS port (XEP-0368), "
            + "a configuration mistake; use --direct-tls, or the STARTTLS port (usually 5222)", Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts);
        Assert.InRange(server.Connections, 1, 2); // the attempt, and at most one probe
    }
}
