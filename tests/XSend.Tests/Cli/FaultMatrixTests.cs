using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// The fault matrix: each injected fault ends within its deadline with its documented exit code
/// and one line, and the alert is queued in the outbox exactly when the failure is temporary.
/// </summary>
public sealed class FaultMatrixTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private const double Deadline = 3;
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<CliResult> SendAsync(string endpoint, string[]? extra = null, byte[]? stdin = null, string[]? text = null)
    {
        string[] args = ["--jid", "alice@xsend.test", "--password", Password, "--server", endpoint, "--ca-file", TestCertificates.CaPemPath,
            "--timeout", Deadline.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra ?? [], "bob@xsend.test", .. text ?? (stdin is null ? ["disk", "full"] : [])];
        return await _cli.RunAsync(args, stdin);
    }

    /// <summary>The exit code, the one line, the deadline, and whether the alert was queued.</summary>
    private void AssertOutcome(CliResult result, int code, string lineContains, bool queued)
    {
        string[] lines = result.ErrorLines;
        Assert.True(lines.Length == 1, $"expected one line, got: {result.Stderr}");
        Assert.Contains(lineContains, lines[0]);
        Assert.Equal(code, result.ExitCode);
        Assert.InRange(result.Elapsed.TotalSeconds, 0, Deadline + 2.5);
        Assert.Equal(queued ? 1 : 0, _cli.QueuedAlerts.Length);
        if (queued)
            Assert.EndsWith($"the alert was queued in {_cli.OutboxDirectory} and will be sent by the next successful run", lines[0]);
    }

    private static async Task SecureAndAuthenticateAsync(ScriptedServer s)
    {
        await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
        await s.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, Password));
        await s.OpenStreamAsync(Conversation.SessionFeatures);
    }

    private static async Task UpToTheMessageAsync(ScriptedServer s)
    {
        await Conversation.EstablishSessionAsync(s, Password);
        await s.ExpectAsync(Conversation.MessagePattern);
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
    }

    private static string StreamError(string condition, string? content = null) =>
        $"<stream:error><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'>{content}</{condition}></stream:error></stream:stream>";

    [Fact]
    public async Task F01_connection_refused_is_retried_then_queued()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        CliResult result = await SendAsync($"127.0.0.1:{port}", ["-v"]);

        Assert.Contains("retrying in", result.Stderr);
        // Keep xsend's own lines, not the verbose narration or the stack trace it adds.
        string ownLines = string.Join('\n', result.Stderr.Split('\n').Where(l => l.StartsWith("xsend: ") && !l.Contains(" ms] ")));
        AssertOutcome(result with { Stderr = ownLines }, 75, $"connection refused by 127.0.0.1:{port}", queued: true);
    }

    [Theory]
    [InlineData(SocketError.HostNotFound, 68, "host 'xmpp.example.org' not found", false)]
    [InlineData(SocketError.TryAgain, 75, "DNS lookup of 'xmpp.example.org' failed temporarily", true)]
    public async Task F02_dns_failure_is_permanent_for_nxdomain_and_temporary_for_a_timeout(SocketError error, int code, string line, bool queued)
    {
        _cli.ResolveHost = (_, _) => Task.FromException<IPAddress[]>(new SocketException((int)error));

        AssertOutcome(await SendAsync("xmpp.example.org:5222"), code, line, queued);
    }

    [Fact]
    public async Task F03_tls_handshake_reset_is_temporary()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.ExpectAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            await s.SendAsync("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            s.Disconnect();
        });

        AssertOutcome(await SendAsync(server.Endpoint), 75, "while negotiating TLS", queued: true);
        Assert.True(server.Connections > 1, "a temporary failure is retried");
    }

    [Fact]
    public async Task F04_close_after_the_stream_header_is_temporary()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader);
            s.Disconnect();
        });

        AssertOutcome(await SendAsync(server.Endpoint), 75, "while opening the XMPP stream", queued: true);
    }

    [Fact]
    public async Task F05_close_mid_sasl_is_temporary()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1m");
            s.Disconnect();
        });

        AssertOutcome(await SendAsync(server.Endpoint), 75, "while authenticating", queued: true);
    }

    [Theory]
    [InlineData("<not-authorized/>", 77, "not-authorized", false)]
    [InlineData("<account-disabled/><text>Account suspended</text>", 77, "account-disabled (Account suspended)", false)]
    [InlineData("<temporary-auth-failure/>", 75, "temporary-auth-failure", true)]
    public async Task F06_to_F08_sasl_failures(string failure, int code, string line, bool queued)
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync($"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{failure}</failure>");
        });

        AssertOutcome(await SendAsync(server.Endpoint), code, line, queued);
        if (!queued)
            Assert.Equal(1, server.Connections); // permanent failures are never retried
    }

    [Fact]
    public async Task F09_bind_conflict_is_permanent()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await SecureAndAuthenticateAsync(s);
            await s.ExpectAsync("<iq type='set' id='{bindId}'>*</iq>");
            await s.SendAsync("<iq type='error' id='{bindId}'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        });

        AssertOutcome(await SendAsync(server.Endpoint), 69, "iq rejected by server: conflict", queued: false);
    }

    public static TheoryData<string, string, int, bool> StreamErrorsByPhase()
    {
        var data = new TheoryData<string, string, int, bool>();
        foreach (string phase in new[] { "open", "auth", "bind", "ack" })
        {
            // Before TLS ("open") a stream error cannot be authenticated: anyone on the path can
            // forge one, so it is never final (issue #11 item 7).
            data.Add(phase, "host-unknown", phase == "open" ? 75 : 68, phase == "open");
            data.Add(phase, "policy-violation", phase == "open" ? 75 : 69, phase == "open");
            data.Add(phase, "system-shutdown", 75, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(StreamErrorsByPhase))]
    public async Task F10_stream_errors_in_each_phase(string phase, string condition, int code, bool queued)
    {
        await using var server = new FakeXmppServer(async s =>
        {
            switch (phase)
            {
                case "open":
                    await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
                    await s.SendAsync(ScriptedServer.ServerHeader);
                    break;
                case "auth":
                    await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
                    await s.ExpectAsync("<auth*</auth>");
                    break;
                case "bind":
                    await SecureAndAuthenticateAsync(s);
                    await s.ExpectAsync("<iq type='set'*</iq>");
                    break;
                default:
                    await UpToTheMessageAsync(s);
                    break;
            }
            await s.SendAsync(StreamError(condition));
        });

        // After the message, a condition a stanza can cause is that message's refusal (it alone was in flight).
        string line = phase == "ack" && condition == "policy-violation"
            ? "message rejected by server: policy-violation (the server ended the stream right after this message"
            : $"server ended the stream: {condition}";
        AssertOutcome(await SendAsync(server.Endpoint), code, line, queued);
    }

    [Fact]
    public async Task F10_see_other_host_is_followed_once()
    {
        await using var other = new FakeXmppServer(async s =>
        {
            await UpToTheMessageAsync(s);
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        });
        await using var first = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader + StreamError("see-other-host", other.Endpoint));
        });

        CliResult result = await SendAsync(first.Endpoint);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(1, first.Connections);
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task F10_a_second_redirect_is_not_followed()
    {
        FakeXmppServer? loop = null;
        loop = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader + StreamError("see-other-host", loop!.Endpoint));
        });
        await using (loop)
        {
            CliResult result = await SendAsync(loop.Endpoint);
            // see-other-host is temporary: after the one redirect, retries continue until the deadline, then the alert is queued.
            AssertOutcome(result, 75, "see-other-host", queued: true);
        }
    }

    [Fact]
    public async Task F11_recipient_service_unavailable_is_permanent()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await UpToTheMessageAsync(s);
            await s.SendAsync("<message type='error' id='{msgId}' from='bob@xsend.test'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message><a xmlns='urn:xmpp:sm:3' h='1'/>");
        });

        AssertOutcome(await SendAsync(server.Endpoint), 69, "service-unavailable", queued: false);
    }

    [Fact]
    public async Task F12_server_never_acks()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await UpToTheMessageAsync(s);
            await Task.Delay(TimeSpan.FromSeconds(10));
        });

        AssertOutcome(await SendAsync(server.Endpoint), 75, "waiting for the server to acknowledge the message", queued: true);
        Assert.True(server.Connections > 1, "a missing ack is retried on a new connection");
    }

    [Fact]
    public async Task F13_server_stalls_mid_stanza()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>");
            await Task.Delay(TimeSpan.FromSeconds(10));
        });

        AssertOutcome(await SendAsync(server.Endpoint), 75, "timed out after 3 s while opening the XMPP stream", queued: true);
    }

    [Theory]
    [InlineData("<stream:features><a></b></stream:features>", "malformed XML")]
    [InlineData("<!DOCTYPE x [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]><stream:features>&b;</stream:features>", "DTD")]
    public async Task F14_F15_malformed_xml_and_dtds_after_tls_are_protocol_errors(string junk, string line)
    {
        // After TLS the bytes are the verified server's own: a protocol error, not retried.
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync(junk);
        });

        AssertOutcome(await SendAsync(server.Endpoint), 76, line, queued: false);
    }

    [Theory]
    [InlineData("<stream:features><a></b></stream:features>", "malformed XML")]
    [InlineData("<!DOCTYPE x [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]><stream:features>&b;</stream:features>", "DTD")]
    [InlineData("<stream:features><x>{big}</x></stream:features>", "larger than 1048576 bytes")]
    public async Task F14_F16_broken_xml_before_tls_is_unverified_so_the_alert_is_queued(string junk, string line)
    {
        // Before TLS anyone on the path could have injected the bytes (issue #11 §7): temporary.
        await using var server = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader + junk.Replace("{big}", new string('A', 1100 * 1024)));
        });

        CliResult result = await SendAsync(server.Endpoint);

        AssertOutcome(result, 75, line, queued: true);
        Assert.Contains("before TLS (unverified, so treated as temporary)", result.ErrorLines[0]);
    }

    [Fact]
    public async Task F16_oversized_stanza_from_the_server_is_a_protocol_error()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync("<x>" + new string('A', 1100 * 1024) + "</x>");
        });

        AssertOutcome(await SendAsync(server.Endpoint), 76, "larger than 1048576 bytes", queued: false);
    }

    [Fact]
    public async Task F17_invalid_utf8_on_stdin_is_bad_data()
    {
        AssertOutcome(await SendAsync("127.0.0.1:1", stdin: [0xFF, 0xFE, 0x41]), 65, "not valid UTF-8", queued: false);
    }

    [Fact]
    public async Task F18_control_characters_are_removed_and_the_rest_is_sent()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await UpToTheMessageAsync(s);
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        });

        CliResult result = await SendAsync(server.Endpoint, stdin: Encoding.UTF8.GetBytes("disk\u0000 full\u0007\u001b[31m red"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("<body>disk full[31m red</body>", server.Conversation!.Transcript);
    }

    [Fact]
    public async Task F19_a_huge_body_over_the_servers_announced_limit_is_refused_before_sending()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password, "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>262144</max-bytes></limits>");
            await s.ExpectAsync("</stream:stream>");
        });

        CliResult result = await SendAsync(server.Endpoint, stdin: Encoding.UTF8.GetBytes(new string('x', 1_000_000)));

        AssertOutcome(result, 65, "the server accepts at most 262144", queued: false);
        Assert.DoesNotContain("<message", server.Conversation!.Transcript);
    }

    [Fact]
    public async Task F19_a_body_over_xsends_own_limit_is_refused()
    {
        AssertOutcome(await SendAsync("127.0.0.1:1", stdin: Encoding.UTF8.GetBytes(new string('x', 1_100_000))), 65, "1048576-byte limit", queued: false);
    }

    [Fact]
    public async Task F20_interrupt_mid_send_leaves_the_alert_in_the_outbox()
    {
        using var interrupt = new CancellationTokenSource();
        await using var server = new FakeXmppServer(async s =>
        {
            await UpToTheMessageAsync(s);
            interrupt.Cancel(); // what SIGTERM or Ctrl+C does to the running command
            await Task.Delay(TimeSpan.FromSeconds(10));
        });
        string[] args = ["--jid", "alice@xsend.test", "--password", Password, "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath,
            "--timeout", "20", "bob@xsend.test", "disk", "full"];

        CliResult result = await _cli.RunAsync(args, null, interrupt.Token);

        Assert.Equal(75, result.ExitCode);
        Assert.Contains("interrupted before the server accepted the message; the alert was queued", Assert.Single(result.ErrorLines));
        Assert.Single(_cli.QueuedAlerts);
        Assert.InRange(result.Elapsed.TotalSeconds, 0, 8);
    }

    [Fact]
    public async Task No_outbox_reports_the_temporary_failure_without_queueing()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await UpToTheMessageAsync(s);
            await Task.Delay(TimeSpan.FromSeconds(10));
        });

        CliResult result = await SendAsync(server.Endpoint, ["--no-outbox"]);

        Assert.Equal(75, result.ExitCode);
        Assert.Matches(@"^xsend: timed out after [\d.]+ s while waiting for the server to acknowledge the message", Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts);
    }
}
