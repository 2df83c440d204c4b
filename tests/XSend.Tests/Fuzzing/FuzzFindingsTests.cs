using System.Text;
using System.Xml;
using XSend.Tests.Cli;
using XSend.Tests.Fakes;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;
using XmlText = XSend.Xmpp.Protocol.XmlText;
using XSend.Xmpp.Sasl;

namespace XSend.Tests.Fuzzing;

/// <summary>What the fuzzer and the property tests found, pinned down beyond "it no longer crashes".</summary>
public sealed class FuzzFindingsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("""{"Id":"0t","To":"ops@xsend.test","Created":"2026-11-30T12:00:00+00:00"}""")] // found by afl-fuzz: no Body, no Account
    [InlineData("""{"Id":"a","Account":"x@y","To":"not a jid","Body":"b","Type":"chat","Created":"2026-11-30T00:00:00Z"}""")]
    public async Task A_queued_alert_that_cannot_be_sent_is_listed_then_set_aside_not_a_crash(string json)
    {
        _cli.Time = new PinnedDateTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        string path = _cli.WriteFile("outbox/20261130T120000000000-0t.alert.json", json);

        CliResult list = await _cli.RunAsync(["outbox", "list"]);

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("[malformed: ", list.Stdout);
        Assert.True(File.Exists(path)); // listing changes nothing

        CliResult flush = await _cli.RunAsync(["outbox", "flush", "--jid", "alice@xsend.test", "--password-file", _cli.WriteFile("pw", "pw\n"),
            "--server", "127.0.0.1:1", "--timeout", "2"]);

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Contains("set aside", flush.Stderr);
        Assert.False(File.Exists(path));
        Assert.Single(Directory.GetFiles(_cli.OutboxDirectory, "*.rejected"));
    }

    [Fact]
    public async Task A_non_ascii_byte_in_the_declarations_version_is_malformed_xml()
    {
        // Found by the stream-reader target: .NET's XmlReader throws ArgumentOutOfRangeException here.
        byte[] greeting = [.. "<?xml version='1.0"u8, 0x80, .. "'?>"u8];
        var reader = new XmppStreamReader(new MeteredStream(new MemoryStream(greeting), 1024));

        await Assert.ThrowsAsync<XmlException>(() => reader.ReadHeaderAsync());
    }

    [Fact]
    public void A_crlf_body_keeps_its_carriage_returns_on_the_wire()
    {
        string escaped = XmlText.Escape("line 1\r\nline 2");

        Assert.Equal("line 1&#xD;\nline 2", escaped);
        using var reader = XmlReader.Create(new StringReader($"<body>{escaped}</body>"));
        reader.MoveToContent();
        Assert.Equal("line 1\r\nline 2", reader.ReadElementContentAsString());
    }

    [Fact]
    public void A_password_saslprep_refuses_is_an_authentication_error_that_does_not_show_it()
    {
        var scram = new ScramSha256Mechanism("user", "hunter\u00072");
        scram.GetInitialResponse();
        byte[] serverFirst = Encoding.UTF8.GetBytes($"r={NonceOf(scram)}srv,s=QSXCR+Q6sek8bf92,i=4096");

        var refused = Assert.Throws<XmppAuthenticationException>(() => scram.EvaluateChallenge(serverFirst));

        Assert.Equal("invalid-credentials", refused.Condition);
        Assert.DoesNotContain("hunter", refused.Message, StringComparison.Ordinal);
    }

    private static string NonceOf(ScramMechanism scram)
    {
        string clientFirst = Encoding.UTF8.GetString(scram.GetInitialResponse());
        return clientFirst[(clientFirst.IndexOf(",r=", StringComparison.Ordinal) + 3)..];
    }
}
