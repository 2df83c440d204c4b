using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using XSend.Cli.Outbox;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// A queued alert the server refuses for good (a bounce, its announced limit, a stream closed
/// right after it) or a malformed queue file is set aside with the reason, reported once, and
/// never blocks the account's other alerts.
/// </summary>
public sealed class PoisonAlertTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private static readonly DateTimeOffset Now = PinnedDateTimeProvider.DefaultStart;
    private static readonly string Poison = new('P', 5000);
    private readonly CliHarness _cli = new() { Time = new PinnedDateTimeProvider(Now) };

    public void Dispose() => _cli.Dispose();

    private string[] Args(string endpoint, params string[] rest) =>
        ["--jid", "alice@xsend.test", "--password", Password, "--server", endpoint, "--ca-file", TestCertificates.CaPemPath, "--timeout", "10", .. rest];

    private OutboxStore Store => new(_cli.OutboxDirectory, TimeSpan.FromHours(24));

    private void Queue(string id, string body, DateTimeOffset created, string to = "bob@xsend.test") =>
        Store.Enqueue(new OutboxEntry(id, "alice@xsend.test", to, body, "chat", null, created, "test"));

    /// <summary>
    /// Like Prosody with a stanza over its limit: a window holding the poison body gets the stream
    /// closed with policy-violation instead of an ack; other windows are acked. Records every body it acked.
    /// </summary>
    private static FakeXmppServer TooBigServer(ConcurrentQueue<string> acked) => new(async s =>
    {
        await Conversation.EstablishSessionAsync(s, Password);
        var bodies = new List<string>();
        while (await s.ExpectOneOfAsync("<message type='chat' id='{id}' to='{to}'>*<body>{body}</body>*</message>", "<r xmlns='urn:xmpp:sm:3'/>") == 0)
            bodies.Add(s.Captures["body"]);
        if (bodies.Contains(Poison))
        {
            await s.SendAsync("<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>XML stanza is too big</text></stream:error></stream:stream>");
            return;
        }
        await s.SendAsync($"<a xmlns='urn:xmpp:sm:3' h='{bodies.Count}'/>");
        foreach (string body in bodies)
            acked.Enqueue(body);
        await s.ExpectAsync("*</stream:stream>");
    });

    [Fact]
    public async Task A_queued_alert_after_which_the_server_closes_the_stream_is_set_aside_and_the_others_go_on()
    {
        Queue("aaaaaaaaaaaaaaaaaaaaaaa1", "queued before", Now.AddHours(-3));
        Queue("aaaaaaaaaaaaaaaaaaaaaaa2", Poison, Now.AddHours(-2));
        Queue("aaaaaaaaaaaaaaaaaaaaaaa3", "queued after", Now.AddHours(-1));
        var acked = new ConcurrentQueue<string>();
        await using var server = TooBigServer(acked);

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "new alert"));

        Assert.True(result.ExitCode == 0, result.Stderr); // the run's own alert was delivered
        Assert.Equal(["queued before", "queued after", "new alert"], acked.ToArray());
        string warning = Assert.Single(result.Stderr.Split('\n'), l => l.Contains("set aside"));
        Assert.StartsWith("xsend: warning: queued alert aaaaaaaaaaaaaaaaaaaaaaa2 to bob@xsend.test cannot be delivered and was set aside as ", warning);
        Assert.EndsWith("policy-violation (the server ended the stream right after this message: XML stanza is too big)", warning);
        Assert.Equal(3, server.Connections); // all together, the suspect alone, the rest
        Assert.Empty(_cli.QueuedAlerts);
        string rejected = Assert.Single(Directory.GetFiles(_cli.OutboxDirectory, "*.rejected"));
        Assert.Contains("aaaaaaaaaaaaaaaaaaaaaaa2", rejected);

        // Reported once: the next run neither resends it nor warns again; list shows it with the reason.
        CliResult next = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "later alert"));
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.DoesNotContain("set aside", next.Stderr);
        Assert.Equal(4, server.Connections);
        CliResult list = await _cli.RunAsync(["outbox", "list"]);
        Assert.Contains("aaaaaaaaaaaaaaaaaaaaaaa2  alice@xsend.test -> bob@xsend.test  PPPP", list.Stdout);
        Assert.Contains("[rejected ", list.Stdout);
        Assert.Contains("XML stanza is too big", list.Stdout);
    }

    [Fact]
    public async Task Outbox_flush_sets_the_poison_aside_and_sends_the_rest()
    {
        Queue("bbbbbbbbbbbbbbbbbbbbbbb1", Poison, Now.AddHours(-2));
        Queue("bbbbbbbbbbbbbbbbbbbbbbb2", "waiting", Now.AddHours(-1));
        var acked = new ConcurrentQueue<string>();
        await using var server = TooBigServer(acked);

        CliResult flush = await _cli.RunAsync(["outbox", "flush", .. Args(server.Endpoint)]);

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Equal("sent 1 queued alert(s); 1 set aside as undeliverable (see 'xsend outbox list')\n", flush.Stdout);
        Assert.Equal(["waiting"], acked.ToArray());
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task A_new_alert_that_gets_the_stream_closed_is_refused_with_69_and_not_queued()
    {
        var acked = new ConcurrentQueue<string>();
        await using var server = TooBigServer(acked);

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", Poison));

        Assert.Equal(69, result.ExitCode);
        Assert.Equal("xsend: message rejected by server: policy-violation (the server ended the stream right after this message: XML stanza is too big)",
            Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts);
        Assert.Equal(1, server.Connections); // alone on its stream already: no second try
    }

    [Fact]
    public async Task A_queued_alert_over_the_servers_announced_limit_is_set_aside_without_being_sent()
    {
        Queue("ccccccccccccccccccccccc1", Poison, Now.AddHours(-1));
        await using var server = new FakeXmppServer(async s =>
        {
            // XEP-0478: the server announces its limit; the big alert must never go out.
            await Conversation.EstablishSessionAsync(s, Password, "<limits xmlns='urn:xmpp:stream-limits:0'><max-bytes>4096</max-bytes></limits>");
            Assert.Equal(1, await s.AckWindowAsync());
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "small"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Null(server.ScriptFailure);
        Assert.DoesNotContain(Poison, server.Conversation!.Transcript);
        Assert.Contains("the server accepts at most 4096", Assert.Single(result.Stderr.Split('\n'), l => l.Contains("set aside")));
        Assert.Empty(_cli.QueuedAlerts);
        Assert.Single(Directory.GetFiles(_cli.OutboxDirectory, "*.rejected"));
    }

    [Theory]
    [InlineData("cancel", "item-not-found")]
    [InlineData("wait", "resource-constraint")]
    public async Task A_queued_alert_the_server_bounces_for_good_is_set_aside_and_one_to_retry_later_stays(string type, string condition)
    {
        Queue("ddddddddddddddddddddddd1", "to nobody", Now.AddHours(-1), to: "gone@xsend.test");
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            await s.ExpectAsync("<message type='chat' id='{gone}' to='gone@xsend.test'>*</message>");
            await s.SendAsync($"<message type='error' id='{{gone}}' from='gone@xsend.test'><error type='{type}'>"
                + $"<{condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
            await s.ExpectAsync("<message type='chat' id='{new}' to='bob@xsend.test'>*</message>");
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='2'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "new"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        if (type == "wait")
        {
            Assert.DoesNotContain("set aside", result.Stderr);
            Assert.Single(_cli.QueuedAlerts); // 'wait' (RFC 6120 §8.3.2): the next run tries again
            return;
        }
        Assert.Contains($"message rejected by gone@xsend.test: {condition}", Assert.Single(result.Stderr.Split('\n'), l => l.Contains("set aside")));
        Assert.Empty(_cli.QueuedAlerts);
        RejectedAlert rejected = System.Text.Json.JsonSerializer.Deserialize(
            File.ReadAllBytes(Assert.Single(Directory.GetFiles(_cli.OutboxDirectory, "*.rejected"))), OutboxJsonContext.Default.RejectedAlert)!;
        Assert.Equal("to nobody", rejected.Alert.Body);
        Assert.Equal($"message rejected by gone@xsend.test: {condition}", rejected.Reason);
    }

    [Theory]
    [InlineData("""{"Id":"eeeeeeeeeeeeeeeeeeeeeee1","Account":"alice@xsend.test","To":"not a jid@@","Body":"x","Type":"chat","Created":"2026-11-23T11:00:00+00:00"}""", "invalid To")]
    [InlineData("""{"Id":"eeeeeeeeeeeeeeeeeeeeeee1","Account":"alice@xsend.test","To":"bob@xsend.test","Type":"chat","Created":"2026-11-23T11:00:00+00:00"}""", "no Body")]
    [InlineData("""{"Id":"../../etc/x","Account":"alice@xsend.test","To":"bob@xsend.test","Body":"x","Created":"2026-11-23T11:00:00+00:00"}""", "Id is missing or not a plain token")]
    [InlineData("""{"Id":"eeeeeeeeeeeeeeeeeeeeeee1","Account":"alice@xsend.test","To":"bob@xsend.test","Body":"x","Type":"shout","Created":"2026-11-23T11:00:00+00:00"}""", "unknown Type")]
    [InlineData("""{"Id":"eeeeeeeeeeeeeeeeeeeeeee1","Account":"alice@xsend.test","To":"bob@xsend.test","Body":"x"}""", "no Created time")]
    public async Task A_malformed_queued_alert_is_set_aside_and_the_send_goes_on(string json, string problem)
    {
        _cli.WriteFile("outbox/20261123T1100000000000-bad.alert.json", json);
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            Assert.Equal(1, await s.AckWindowAsync());
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult list = await _cli.RunAsync(["outbox", "list"]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"[malformed: ", list.Stdout);
        Assert.Contains(problem, list.Stdout);

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "new"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains(problem, Assert.Single(result.Stderr.Split('\n'), l => l.Contains("set aside")));
        Assert.Empty(_cli.QueuedAlerts);
        string rejected = Assert.Single(Directory.GetFiles(_cli.OutboxDirectory, "*.rejected"));
        Assert.Equal(_cli.OutboxDirectory, Path.GetDirectoryName(rejected)); // a hostile id never becomes a path
        Assert.DoesNotContain("..", Path.GetFileName(rejected));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("""{"Alerts":[null]}""")]
    [InlineData("[1,2]")]
    public async Task An_unreadable_queue_file_is_set_aside_as_corrupt_and_the_send_goes_on(string content)
    {
        _cli.WriteFile("outbox/20261123T1100000000000-bad.alert.json", content);
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            Assert.Equal(1, await s.AckWindowAsync());
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "new"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("set aside as", Assert.Single(result.Stderr.Split('\n'), l => l.Contains("cannot read queued alert file")));
        Assert.Single(Directory.GetFiles(_cli.OutboxDirectory, "*.corrupt"));
        CliResult list = await _cli.RunAsync(["outbox", "list"]);
        Assert.Matches(new Regex(@"^unreadable  .+\.corrupt  \[set aside earlier as unreadable\]$", RegexOptions.Multiline), list.Stdout);
    }
}
