using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XSend.Tests.Client;
using XSend.Tests.Fakes;
using XSend.Xmpp.Sasl;
using XSend.Xmpp.Tls;

namespace XSend.Tests.Cli;

/// <summary>
/// Certificate trust against a fake server: expired, untrusted but pinned, untrusted and not
/// pinned (the pin is printed), a different pinned key, --insecure (works, loudly, and refuses
/// PLAIN), and SCRAM-SHA-1-PLUS bound to the real TLS channel.
/// </summary>
public sealed class TlsTrustTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private Task<CliResult> SendAsync(FakeXmppServer server, params string[] extra) =>
        _cli.SendAlertAsync(Password, ["--server", server.Endpoint, "--timeout", "10", .. extra]);

    private static FakeXmppServer Serving(X509Certificate2 certificate, string mechanisms = "<mechanism>SCRAM-SHA-1</mechanism>",
        ScramServer? scram = null, string otherFeatures = "") => new(async s =>
    {
        await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
        await s.StartTlsAsync(certificate);
        await ServerDiscoveryTests.SessionAfterTlsAsync(s, mechanisms, scram, otherFeatures);
    });

    [Fact]
    public async Task An_expired_certificate_fails_with_its_date_and_pin()
    {
        await using var server = Serving(TestCertificates.Expired);
        CliResult result = await SendAsync(server, "--ca-file", TestCertificates.CaPemPath);

        Assert.Equal(79, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("the server's certificate expired on", line);
        Assert.Contains(CertificatePin.Compute(TestCertificates.Expired), line);
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_and_prints_the_pin_to_use()
    {
        await using var server = Serving(TestCertificates.SelfSigned);
        CliResult result = await SendAsync(server);

        Assert.Equal(79, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("is not trusted (sha256:", line);
        Assert.EndsWith("; trust its CA with --ca-file or its key with --pin", line); // the CLI's advice, not the core's
        Assert.Contains(CertificatePin.Compute(TestCertificates.SelfSigned), line);
    }

    [Fact]
    public async Task An_untrusted_but_pinned_key_is_accepted()
    {
        await using var server = Serving(TestCertificates.SelfSigned);
        CliResult result = await SendAsync(server, "--pin", CertificatePin.Compute(TestCertificates.SelfSigned));

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task A_pin_refuses_any_other_key_even_a_trusted_one()
    {
        await using var server = Serving(TestCertificates.Server);
        CliResult result = await SendAsync(server, "--ca-file", TestCertificates.CaPemPath, "--pin", CertificatePin.Compute(TestCertificates.SelfSigned));

        Assert.Equal(79, result.ExitCode);
        Assert.Contains("is not the pinned one; it presents " + CertificatePin.Compute(TestCertificates.Server), Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task A_malformed_pin_is_a_config_error()
    {
        await using var server = Serving(TestCertificates.Server);
        CliResult result = await SendAsync(server, "--pin", "sha256:not-base64");

        Assert.Equal(78, result.ExitCode);
        Assert.Contains("is not sha256:BASE64", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Insecure_connects_to_an_untrusted_server_with_a_loud_warning()
    {
        await using var server = Serving(TestCertificates.SelfSigned);
        CliResult result = await SendAsync(server, "--insecure");

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains("xsend: warning: --insecure: the server's certificate is NOT verified", result.Stderr);
    }

    [Fact]
    public async Task Insecure_refuses_plain_so_the_password_never_reaches_an_unverified_server()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.StartTlsAsync(TestCertificates.SelfSigned);
            await s.OpenStreamAsync("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>");
            await s.ExpectAsync("</stream:stream>");
        });
        CliResult result = await SendAsync(server, "--insecure");

        Assert.Equal(77, result.ExitCode);
        Assert.Contains("PLAIN (the server's certificate is not verified)", Assert.Single(result.ErrorLines));
        Assert.DoesNotContain("<auth", server.Conversation!.Transcript);
    }

    [Fact]
    public async Task Scram_sha1_plus_binds_the_real_tls_channel()
    {
        ChannelBinding expected = ChannelBinding.TlsServerEndPoint(TestCertificates.Server);
        var scram = new ScramServer("SCRAM-SHA-1-PLUS", HashAlgorithmName.SHA1, Password)
        {
            ExpectedGs2Header = "p=tls-server-end-point,,",
            ChannelBindingData = expected.Data,
        };
        // XEP-0440: over TLS 1.3 the server must name tls-server-end-point for the client to use it.
        await using var server = Serving(TestCertificates.Server,
            "<mechanism>SCRAM-SHA-1</mechanism><mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>SCRAM-SHA-256</mechanism>", scram,
            "<sasl-channel-binding xmlns='urn:xmpp:sasl-cb:0'><channel-binding type='tls-server-end-point'/></sasl-channel-binding>");

        CliResult result = await SendAsync(server, "--ca-file", TestCertificates.CaPemPath, "--require-channel-binding", "-v");

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains("with SCRAM-SHA-1-PLUS bound to tls-server-end-point", result.Stderr);
    }

    [Fact]
    public async Task Over_tls12_without_xep0440_scram_sha1_plus_binds_tls_unique()
    {
        // ejabberd 23.01's offer: -PLUS, no XEP-0440 list, so RFC 5802's default tls-unique.
        var scram = new ScramServer("SCRAM-SHA-1-PLUS", HashAlgorithmName.SHA1, Password) { ExpectedGs2Header = "p=tls-unique,," };
        await using var server = new FakeXmppServer(async s =>
        {
            await s.OpenStreamAsync(ScriptedServer.StartTlsFeature);
            await s.StartTlsAsync(TestCertificates.Server, SslProtocols.Tls12);
            // RFC 5929 §3.1: the client's Finished; RFC 5246 §7.4.9: its verify_data is 12 bytes.
            scram.ChannelBindingData = Assert.IsType<byte[]>(s.TlsUnique);
            Assert.Equal(12, scram.ChannelBindingData.Length);
            await ServerDiscoveryTests.SessionAfterTlsAsync(s,
                "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>SCRAM-SHA-1</mechanism>", scram);
        });

        CliResult result = await SendAsync(server, "--ca-file", TestCertificates.CaPemPath, "--require-channel-binding", "-v");

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Contains("TLS 1.2", result.Stderr);
        Assert.Contains("with SCRAM-SHA-1-PLUS bound to tls-unique", result.Stderr);
    }

    [Fact]
    public async Task Over_tls13_without_xep0440_the_client_logs_in_unbound_instead_of_guessing()
    {
        var scram = new ScramServer("SCRAM-SHA-1", HashAlgorithmName.SHA1, Password) { ExpectedGs2Header = "n,," };
        await using var server = Serving(TestCertificates.Server,
            "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1-PLUS</mechanism><mechanism>SCRAM-SHA-1</mechanism>", scram);

        CliResult result = await SendAsync(server, "--ca-file", TestCertificates.CaPemPath);

        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        Assert.Equal("n,,", scram.Gs2Header);
    }

    [Fact]
    public async Task Requiring_channel_binding_refuses_a_server_without_plus()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.SecureAsync(s, "<mechanism>SCRAM-SHA-1</mechanism>");
            await s.ExpectAsync("</stream:stream>");
        });
        CliResult result = await SendAsync(server, "--ca-file", TestCertificates.CaPemPath, "--require-channel-binding");

        Assert.Equal(77, result.ExitCode);
        Assert.Contains("SCRAM-SHA-1 (channel binding is required)", Assert.Single(result.ErrorLines));
    }
}
