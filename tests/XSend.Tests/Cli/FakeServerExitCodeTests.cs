using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// Each failure a server can cause gives one line on stderr and its documented exit code. These
/// pin the mapping, so they run with --no-outbox; FaultMatrixTests covers queueing and retries.
/// </summary>
public sealed class FakeServerExitCodeTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private Task<CliResult> SendAsync(FakeXmppServer server, params string[] extra) => SendToAsync(server.Endpoint, extra);

    private Task<CliResult> SendToAsync(string endpoint, params string[] extra)
    {
        string[] args = ["--server", endpoint, .. extra];
        if (!extra.Contains("--timeout"))
            args = [.. args, "--timeout", "10"];
        if (!extra.Contains("--ca-file") && !extra.Contains("--no-ca"))
            args = [.. args, "--ca-file", TestCertificates.CaPemPath];
        return _cli.SendAlertAsync(Password, args.Where(a => a != "--no-ca").ToArray());
    }

    private static async Task AcceptedSessionAsync(ScriptedServer s, string mechanisms = "<mechanism>SCRAM-SHA-1</mechanism>")
    {
        await Conversation.SecureAsync(s, mechanisms);
        if (mechanisms.Contains("SCRAM"))
        {
            await s.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, Password));
        }
        else
        {
            await s.ExpectAsync("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>*</auth>");
            await s.SendAsync("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        }
        await s.OpenStreamAsync(Conversation.SessionFeatures);
        await s.BindAsync();
        await s.ExpectAsync("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
        await s.SendAsync("<enabled xmlns='urn:xmpp:sm:3'/>");
        await s.ExpectAsync(Conversation.MessagePattern);
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
    }

    private static async Task AckAndCloseAsync(ScriptedServer s)
    {
        await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        await s.ExpectAsync("<a xmlns='urn:xmpp:sm:3' h='0'/>");
        await s.ExpectAsync("</stream:stream>");
        await s.SendAsync("</stream:stream>");
    }

    [Fact]
    public async Task Success_is_silent_and_exits_zero()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await AcceptedSessionAsync(s);
            await AckAndCloseAsync(s);
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("", result.Stderr);
        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        Assert.Contains("<body>disk full</body>", server.Conversation!.Transcript);
    }

    [Fact]
    public async Task Debug_log_shows_the_conversation_with_plain_credentials_redacted()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await AcceptedSessionAsync(s, "<mechanism>PLAIN</mechanism>");
            await AckAndCloseAsync(s);
        });

        CliResult result = await SendAsync(server, "--debug");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("C: <auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">[redacted]</auth>", result.Stderr);
        Assert.Contains("C: <message type='chat'", result.Stderr);
        Assert.DoesNotContain(Password, result.Stderr);
        Assert.DoesNotContain(Convert.ToBase64String("\0alice\0s3cret-Pa55"u8), result.Stderr);
    }

    [Fact]
    public async Task Server_without_starttls_is_refused_with_the_tls_code()
    {
        await using var server = new FakeXmppServer(s =>
            s.OpenStreamAsync("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"));

        CliResult result = await SendAsync(server);

        Assert.Equal(79, result.ExitCode);
        Assert.Equal("xsend: the server does not offer STARTTLS; refusing to continue unencrypted (a missing offer is what a downgrade attack looks like)",
            Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Allow_plaintext_continues_without_tls_using_scram()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms>");
            await s.AuthenticateScramAsync(new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, Password));
            await s.OpenStreamAsync("<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>");
            await s.BindAsync();
            await s.ExpectAsync(Conversation.MessagePattern);
            await s.ExpectAsync("<iq type='get' id='{pingId}'><ping xmlns='urn:xmpp:ping'/></iq>");
            await s.SendAsync("<iq type='result' id='{pingId}'/>");
        });

        CliResult result = await SendAsync(server, "--allow-plaintext");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("xsend: warning: --allow-plaintext", result.Stderr);
    }

    [Fact]
    public async Task Untrusted_certificate_gets_the_tls_code_and_its_pin()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.StartTlsAsync(TestCertificates.Server);
        });

        CliResult result = await SendAsync(server, "--no-ca");

        Assert.Equal(79, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("is not trusted (sha256:", line);
        Assert.EndsWith("; trust its CA with --ca-file or its key with --pin", line); // the CLI's advice, not the core's
        Assert.Matches("sha256:[A-Za-z0-9+/]{43}=", line);
    }

    [Fact]
    public async Task Certificate_for_another_name_is_refused_even_from_a_trusted_ca()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.StartTlsAsync(TestCertificates.WrongName);
        });

        CliResult result = await SendAsync(server);

        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        Assert.Contains("certificate is for other.example, not xsend.test", Assert.Single(result.ErrorLines));
        Assert.Equal(79, result.ExitCode);
    }

    [Theory]
    [InlineData("<not-authorized/><text>Unable to authorize you with the authentication credentials you've sent.</text>", 77, "not-authorized (Unable to authorize you")]
    [InlineData("<account-disabled/>", 77, "account-disabled")]
    [InlineData("<temporary-auth-failure/>", 75, "temporary-auth-failure")]
    public async Task Sasl_failures_map_to_their_codes(string failure, int code, string expected)
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s);
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync($"<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>{failure}</failure>");
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(code, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("host-unknown", 68)]
    [InlineData("system-shutdown", 75)]
    [InlineData("policy-violation", 69)]
    [InlineData("invalid-namespace", 76)]
    [InlineData("conflict", 75)] // Bind2: another session took the resource; the retry gets its own (issue #11 item 5)
    [InlineData("internal-server-error", 75)] // the server's passing trouble: retried, then queued
    [InlineData("remote-connection-failed", 75)]
    [InlineData("undefined-condition", 69)]
    public async Task Stream_errors_map_to_their_codes(string condition, int code)
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync($"<stream:error><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(code, result.ExitCode);
        Assert.StartsWith($"xsend: server ended the stream: {condition}", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("host-unknown")]
    [InlineData("not-authorized")]
    [InlineData("policy-violation")]
    public async Task Stream_errors_and_starttls_failures_before_tls_are_temporary(string condition)
    {
        // Issue #11 item 7: nothing before TLS is authenticated, so a forged refusal must not cost
        // the alert (FaultMatrixTests.F10 checks that it is queued).
        await using var streamError = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader + $"<stream:error><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        });
        CliResult result = await SendAsync(streamError, "--timeout", "2");

        Assert.Equal(75, result.ExitCode);
        Assert.Contains($"server ended the stream: {condition} before TLS (unverified, so treated as temporary)", Assert.Single(result.ErrorLines));

        await using var tlsRefused = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.ExpectAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            await s.SendAsync("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>");
        });
        CliResult refused = await SendAsync(tlsRefused, "--timeout", "2");

        Assert.Equal(75, refused.ExitCode);
        Assert.Contains("the server refused STARTTLS (before TLS, so unverified; treated as temporary)", Assert.Single(refused.ErrorLines));
    }

    [Fact]
    public async Task Garbage_instead_of_a_tls_handshake_is_unverified_so_temporary()
    {
        // The server says <proceed/>, then sends no TLS records: nothing is verified yet, so anyone
        // on the path could have done it; retried, then queued.
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.ExpectAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            await s.SendAsync("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            await s.SendAsync(new string('\u0001', 64) + "garbage, not a TLS record");
            await s.UntilClientLeavesAsync();
        });

        CliResult result = await SendAsync(server, "--timeout", "2");

        Assert.Equal(75, result.ExitCode);
        // The client sees the bad record, or the server leaving once it has: both before any key was checked.
        Assert.Matches("TLS handshake failed|while negotiating TLS", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Bounced_message_names_the_condition_and_hints_at_subscriptions()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await AcceptedSessionAsync(s);
            await s.SendAsync("<message type='error' id='{msgId}' from='bob@xsend.test'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(69, result.ExitCode);
        Assert.Contains("message rejected by bob@xsend.test: service-unavailable; check the address", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Stalled_server_times_out_within_the_deadline_naming_the_step()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.ExpectAsync(ScriptedServer.ClientHeaderPattern);
            await s.SendAsync(ScriptedServer.ServerHeader);
            await Task.Delay(TimeSpan.FromSeconds(20)); // never sends features
        });

        CliResult result = await SendAsync(server, "--timeout", "1.5");

        Assert.Equal(75, result.ExitCode);
        Assert.Equal("xsend: timed out after 1.5 s while opening the XMPP stream", Assert.Single(result.ErrorLines));
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task Server_that_never_acks_times_out_while_waiting_for_the_ack()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await AcceptedSessionAsync(s);
            await Task.Delay(TimeSpan.FromSeconds(20));
        });

        CliResult result = await SendAsync(server, "--timeout", "3");

        Assert.Equal(75, result.ExitCode);
        Assert.Matches(@"^xsend: timed out after [\d.]+ s while waiting for the server to acknowledge the message", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Refused_connection_gets_the_unavailable_code()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        CliResult result = await SendToAsync($"127.0.0.1:{port}", "--timeout", "2");

        Assert.Equal(69, result.ExitCode);
        Assert.Equal($"xsend: connection refused by 127.0.0.1:{port}", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Verbose_narrates_steps_and_failures_show_the_stack_trace()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s);
            await s.ExpectAsync("<auth*</auth>");
            await s.SendAsync("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
        });

        CliResult result = await SendAsync(server, "-v");

        Assert.Equal(77, result.ExitCode);
        Assert.Contains("ms] TLS established: TLS 1.", result.Stderr);
        Assert.Contains("ms] authenticating; the server offers SCRAM-SHA-256", result.Stderr);
        Assert.Contains("XmppAuthenticationException", result.Stderr);
        Assert.Contains("   at ", result.Stderr);
    }
}
