using System.Text;
using System.Text.RegularExpressions;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>Several recipients, message types, subjects, --file and --line-mode, as they go on the wire.</summary>
public sealed class RecipientsAndBodiesTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A server that acks every message; bounces those to <paramref name="bounce"/>.</summary>
    internal static FakeXmppServer Server(int messages, string? bounce = null) => new(async s =>
    {
        await Conversation.EstablishSessionAsync(s, "pw");
        int acked = await s.AckWindowAsync(async () =>
        {
            if (s.Captures["to"] == bounce)
                await s.SendAsync("<message type='error' id='{id}' from='{to}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        });
        Assert.Equal(messages, acked);
        await s.ExpectAsync("*</stream:stream>");
    });

    private Task<CliResult> SendAsync(FakeXmppServer server, string[] args, string? stdin = null) =>
        _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath, .. args],
            stdin is null ? null : Encoding.UTF8.GetBytes(stdin));

    internal static List<(string To, string Body)> Sent(FakeXmppServer server) =>
        Regex.Matches(server.Conversation!.Transcript, "<message [^>]*to='([^']+)'>(?:<subject>[^<]*</subject>)?<body>([^<]*)</body>")
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    [Fact]
    public async Task Message_option_makes_every_word_a_recipient()
    {
        await using var server = Server(3);
        CliResult result = await SendAsync(server, ["--to", "c@xsend.test", "-m", "disk full", "a@xsend.test", "b@xsend.test"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("a@xsend.test", "disk full"), ("b@xsend.test", "disk full"), ("c@xsend.test", "disk full")], Sent(server));
    }

    [Fact]
    public async Task Repeated_to_makes_the_words_the_text()
    {
        await using var server = Server(2);
        CliResult result = await SendAsync(server, ["--to", "a@xsend.test", "--to", "b@xsend.test", "disk", "full"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("a@xsend.test", "disk full"), ("b@xsend.test", "disk full")], Sent(server));
    }

    [Fact]
    public async Task Type_and_subject_go_on_the_wire()
    {
        await using var server = Server(1);
        CliResult result = await SendAsync(server, ["--type", "headline", "--subject", "db1 <disk>", "a@xsend.test", "97%"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("<message type='headline'", server.Conversation!.Transcript);
        Assert.Contains("<subject>db1 &lt;disk&gt;</subject><body>97%</body>", server.Conversation.Transcript);
    }

    [Fact]
    public async Task Unknown_type_is_a_usage_error()
    {
        CliResult result = await _cli.RunAsync(["--type", "groupchat", "a@xsend.test", "x"]);
        Assert.Equal(64, result.ExitCode);
        Assert.Contains("groupchat", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task File_supplies_the_body()
    {
        string file = _cli.WriteFile("alert.txt", "报警\nsecond line\n");
        await using var server = Server(1);
        CliResult result = await SendAsync(server, ["--file", file, "a@xsend.test"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("a@xsend.test", "报警\nsecond line")], Sent(server));
    }

    [Fact]
    public async Task Line_mode_sends_each_line_to_each_recipient_in_order_over_one_connection()
    {
        await using var server = Server(4);
        CliResult result = await SendAsync(server, ["--line-mode", "a@xsend.test", "b@xsend.test"], "first\r\n\nsecond\n");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("a@xsend.test", "first"), ("b@xsend.test", "first"), ("a@xsend.test", "second"), ("b@xsend.test", "second")], Sent(server));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task A_partial_failure_names_the_failed_recipient_and_exits_81()
    {
        await using var server = Server(2, bounce: "gone@xsend.test");
        CliResult result = await SendAsync(server, ["-m", "hi", "a@xsend.test", "gone@xsend.test"]);

        Assert.Equal(81, result.ExitCode);
        Assert.Equal("xsend: gone@xsend.test: message rejected by gone@xsend.test: item-not-found", Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task A_session_failure_queues_every_unsent_alert()
    {
        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "--server", "127.0.0.1:1", "--timeout", "1",
            "-m", "hi", "a@xsend.test", "b@xsend.test"]);

        Assert.Equal(75, result.ExitCode);
        Assert.Contains("(2 alert(s) to a@xsend.test, b@xsend.test); 2 alerts were queued in", Assert.Single(result.ErrorLines));
        Assert.Single(_cli.QueuedAlerts); // one file holds the run's unsent batch
    }

    [Fact]
    public async Task Invalid_second_recipient_is_named()
    {
        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "-m", "hi", "a@xsend.test", "b c@xsend.test"]);
        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith("xsend: invalid recipient 'b c@xsend.test':", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Line_mode_refuses_message_option()
    {
        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "--line-mode", "-m", "x", "a@xsend.test"]);
        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--line-mode reads stdin or --file", Assert.Single(result.ErrorLines));
    }
}

/// <summary>--subscribe asks for and pre-approves a subscription with each recipient before sending.</summary>
public sealed class SubscribeOptionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Subscribe_asks_and_preapproves_each_recipient_before_the_message()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync("<presence type='subscribe' to='bob@xsend.test'/>");
            await s.ExpectAsync("<presence type='subscribed' to='bob@xsend.test'/>");
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            // A roster push arrives meanwhile; it must be answered with a result (RFC 6121 §2.1.6).
            await s.SendAsync("<iq type='set' id='push1'><query xmlns='jabber:iq:roster'><item jid='bob@xsend.test' subscription='none' ask='subscribe'/></query></iq>");
            await s.ExpectAsync("<iq type='result' id='push1'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='3'/>");
            await s.ExpectAsync(Conversation.MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='4'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint,
            "--ca-file", TestCertificates.CaPemPath, "--subscribe", "bob@xsend.test", "hello"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
    }
}
