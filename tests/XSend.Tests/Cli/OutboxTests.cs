using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using XSend.Cli.Outbox;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>Queued alerts: stored safely, sent first by the next run with their ids and times, expired, never sent twice.</summary>
public sealed class OutboxTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    // Every date in these tests is relative to a pinned "now", never to the day they run.
    private static readonly DateTimeOffset Now = PinnedDateTimeProvider.DefaultStart;
    private readonly CliHarness _cli = new() { Time = new PinnedDateTimeProvider(Now) };

    public void Dispose() => _cli.Dispose();

    private string[] Args(string endpoint, params string[] rest) =>
        ["--jid", "alice@xsend.test", "--password", Password, "--server", endpoint, "--ca-file", TestCertificates.CaPemPath,
            .. rest.Contains("--timeout") ? Array.Empty<string>() : ["--timeout", "5"], .. rest];

    private void Queue(string id, string to, string body, DateTimeOffset created, string account = "alice@xsend.test") =>
        new OutboxStore(_cli.OutboxDirectory, TimeSpan.FromHours(24)).Enqueue(new OutboxEntry(id, account, to, body, "chat", null, created, "test"));

    /// <summary>A server that accepts any number of messages, acking each.</summary>
    private static async Task AcceptAllAsync(ScriptedServer s, int messages)
    {
        await Conversation.EstablishSessionAsync(s, Password);
        Assert.Equal(messages, await s.AckWindowAsync()); // pipelined: one ack request for the window
        await s.ExpectAsync("*</stream:stream>");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_failed_alert_is_stored_privately_and_atomically()
    {
        CliResult result = await _cli.RunAsync(Args("127.0.0.1:1", "--timeout", "1", "bob@xsend.test", "报警 <disk>"));

        Assert.Equal(75, result.ExitCode);
        string file = Assert.Single(_cli.QueuedAlerts);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_cli.OutboxDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Empty(Directory.GetFiles(_cli.OutboxDirectory, "*.tmp")); // only the renamed file remains
        OutboxEntry entry = JsonSerializer.Deserialize(File.ReadAllBytes(file), OutboxJsonContext.Default.OutboxEntry)!;
        Assert.Equal("报警 <disk>", entry.Body);
        Assert.Equal("alice@xsend.test", entry.Account);
        Assert.Equal("bob@xsend.test", entry.To);
        Assert.Matches("^[0-9a-f]{24}$", entry.Id);
        Assert.Contains("connection refused", entry.LastError);
    }

    [Fact]
    public async Task The_next_run_sends_queued_alerts_first_oldest_first_with_ids_and_delay_stamps()
    {
        DateTimeOffset older = Now.AddHours(-2);
        Queue("aaaaaaaaaaaaaaaaaaaaaaa1", "bob@xsend.test", "first outage alert", older);
        Queue("aaaaaaaaaaaaaaaaaaaaaaa2", "carol@xsend.test", "second outage alert", older.AddMinutes(5));
        Queue("bbbbbbbbbbbbbbbbbbbbbbbb", "bob@xsend.test", "someone else's alert", older, account: "other@xsend.test");
        await using var server = new FakeXmppServer(s => AcceptAllAsync(s, 3));

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "new alert"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
        string transcript = server.Conversation!.Transcript;
        MatchCollection messages = Regex.Matches(transcript, "<message type='chat' id='([0-9a-f]+)' to='([^']+)'><body>([^<]*)</body>(<delay[^>]*>)?");
        Assert.Equal(3, messages.Count);
        Assert.Equal(["aaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaa2"], messages.Take(2).Select(m => m.Groups[1].Value));
        Assert.Equal($"<delay xmlns='urn:xmpp:delay' stamp='{older.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}'/>", messages[0].Groups[4].Value);
        Assert.Equal("new alert", messages[2].Groups[3].Value);
        Assert.Equal("", messages[2].Groups[4].Value); // a fresh alert carries no delay
        Assert.Contains("<origin-id xmlns='urn:xmpp:sid:0' id='aaaaaaaaaaaaaaaaaaaaaaa1'/>", transcript);
        Assert.Single(_cli.QueuedAlerts); // only the other account's alert is left
    }

    [Fact]
    public async Task Queued_alerts_older_than_the_limit_are_dropped_with_a_warning()
    {
        Queue("cccccccccccccccccccccccc", "bob@xsend.test", "stale", Now.AddHours(-30));
        await using var server = new FakeXmppServer(s => AcceptAllAsync(s, 1));

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "fresh"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("xsend: warning: dropped queued alert cccccccccccccccccccccccc to bob@xsend.test", result.Stderr);
        Assert.Contains("older than 24 h", result.Stderr);
        Assert.DoesNotContain("stale", server.Conversation!.Transcript);
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task Two_runs_draining_at_once_never_send_an_alert_twice()
    {
        for (int i = 0; i < 5; i++)
            Queue($"dddddddddddddddddddddd{i:d2}", "bob@xsend.test", $"queued {i}", Now.AddMinutes(-10 + i));
        var transcripts = new List<ScriptedServer>();
        await using var server = new FakeXmppServer(async s =>
        {
            lock (transcripts)
                transcripts.Add(s);
            await Conversation.EstablishSessionAsync(s, Password);
            await s.AckWindowAsync(() => Task.Delay(50)); // hold the drain lock a while
        });

        CliResult[] results = await Task.WhenAll(
            _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "run one")),
            _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "run two")));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        string all;
        lock (transcripts)
            all = string.Concat(transcripts.Select(t => t.Transcript));
        for (int i = 0; i < 5; i++)
            Assert.Single(Regex.Matches(all, $"<body>queued {i}</body>"));
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task Outbox_list_flush_and_purge()
    {
        Queue("eeeeeeeeeeeeeeeeeeeeeee1", "bob@xsend.test", "line one\nline two", Now.AddHours(-2));
        Queue("eeeeeeeeeeeeeeeeeeeeeee2", "carol@xsend.test", "second", Now);

        CliResult list = await _cli.RunAsync(["outbox", "list"]);
        Assert.Equal(0, list.ExitCode);
        string[] lines = list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{Now.AddHours(-2):yyyy-MM-dd HH:mm:ss}Z  eeeeeeeeeeeeeeeeeeeeeee1  alice@xsend.test -> bob@xsend.test  line one", lines[0]);
        Assert.Equal(2, lines.Length);

        await using var server = new FakeXmppServer(s => AcceptAllAsync(s, 2));
        CliResult flush = await _cli.RunAsync(["outbox", "flush", .. Args(server.Endpoint)]);
        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Equal("sent 2 queued alert(s)\n", flush.Stdout);
        Assert.Empty(_cli.QueuedAlerts);

        Queue("eeeeeeeeeeeeeeeeeeeeeee3", "bob@xsend.test", "third", Now);
        CliResult purge = await _cli.RunAsync(["outbox", "purge"]);
        Assert.Equal(0, purge.ExitCode);
        Assert.Equal($"purged 1 queued alert(s) from {_cli.OutboxDirectory}\n", purge.Stdout);
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task Flush_that_cannot_connect_keeps_the_alerts_and_exits_75()
    {
        Queue("ffffffffffffffffffffffff", "bob@xsend.test", "waiting", Now);

        CliResult flush = await _cli.RunAsync(["outbox", "flush", .. Args("127.0.0.1:1", "--timeout", "1")]);

        Assert.Equal(75, flush.ExitCode);
        Assert.Contains("1 alert(s) stay queued", Assert.Single(flush.ErrorLines));
        Assert.Single(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task A_line_mode_run_with_the_server_down_queues_its_batch_as_one_file_within_the_deadline()
    {
        string lines = string.Concat(Enumerable.Range(0, AlertDeliveryLimit).Select(i => $"line {i}\n"));

        CliResult result = await _cli.RunAsync(Args("127.0.0.1:1", "--timeout", "2", "--line-mode", "bob@xsend.test"), lines);

        Assert.Equal(75, result.ExitCode);
        Assert.EndsWith($"{AlertDeliveryLimit} alerts were queued in {_cli.OutboxDirectory} and will be sent by the next successful run", Assert.Single(result.ErrorLines));
        string file = Assert.Single(_cli.QueuedAlerts);
        Assert.Empty(Directory.GetFiles(_cli.OutboxDirectory, "*.tmp"));
        OutboxBatch batch = JsonSerializer.Deserialize(File.ReadAllBytes(file), OutboxJsonContext.Default.OutboxBatch)!;
        Assert.Equal(AlertDeliveryLimit, batch.Alerts!.Count);
        Assert.Equal("line 99999", batch.Alerts[^1].Body);
        // The deadline and one write, not one fsync'd file per line (which took 23.5 s); loose for a loaded test machine.
        Assert.InRange(result.Elapsed.TotalSeconds, 1, 12);
    }

    private const int AlertDeliveryLimit = XSend.Cli.Commands.AlertDelivery.MaxMessagesPerRun;

    [Fact]
    public async Task More_messages_than_one_run_sends_are_refused_up_front()
    {
        CliResult result = await _cli.RunAsync(Args("127.0.0.1:1", "--line-mode", "bob@xsend.test", "carol@xsend.test"),
            string.Concat(Enumerable.Range(0, 50_001).Select(i => $"{i}\n")));

        Assert.Equal(65, result.ExitCode);
        Assert.Equal("xsend: 100002 messages (lines x recipients) in one run; the limit is 100000: split the input over several runs", Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task A_partly_delivered_batch_is_rewritten_atomically_with_only_the_rest()
    {
        var store = new OutboxStore(_cli.OutboxDirectory, TimeSpan.FromHours(24));
        string file = store.Enqueue(Enumerable.Range(0, 450).Select(i =>
            new OutboxEntry($"{i:x24}", "alice@xsend.test", "bob@xsend.test", $"queued {i}", "chat", null, Now.AddMinutes(-30), "test")).ToList());
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            Assert.Equal(200, await s.AckWindowAsync()); // the first window of 200 is acked...
            // ...the second fails for good, once the client has written all of it and waits for the ack.
            while (await s.ExpectOneOfAsync("<message type='chat' id='{id}' to='{to}'>*</message>", "<r xmlns='urn:xmpp:sm:3'/>") == 0)
            {
            }
            await s.SendAsync("<stream:error><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        }, maxConnections: 1);

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "--timeout", "15", "bob@xsend.test", "new"));

        Assert.Equal(69, result.ExitCode);
        OutboxBatch batch = JsonSerializer.Deserialize(File.ReadAllBytes(file), OutboxJsonContext.Default.OutboxBatch)!;
        Assert.Equal(Enumerable.Range(200, 250).Select(i => $"queued {i}"), batch.Alerts!.Select(a => a.Body));
        Assert.Equal([file], _cli.QueuedAlerts); // same file, rewritten; the new alert failed for good, so it is not queued
        Assert.Empty(Directory.GetFiles(_cli.OutboxDirectory, "*.tmp"));
    }

    [Fact]
    public async Task Outbox_list_changes_nothing_and_shows_expired_alerts_as_expired()
    {
        Queue("gggggggggggggggggggggggg", "bob@xsend.test", "stale", Now.AddHours(-30));
        _cli.WriteFile("outbox/20261123T0000000000000-x.alert.json", "{ broken");
        string[] before = Directory.GetFileSystemEntries(_cli.OutboxDirectory).Order().ToArray();
        DateTime[] times = before.Select(File.GetLastWriteTimeUtc).ToArray();

        CliResult list = await _cli.RunAsync(["outbox", "list"]);

        Assert.Equal(0, list.ExitCode);
        Assert.Contains("gggggggggggggggggggggggg  alice@xsend.test -> bob@xsend.test  stale  [expired: older than 24 h; the next run drops it]", list.Stdout);
        Assert.Contains("x.alert.json  [", list.Stdout);
        Assert.Equal(before, Directory.GetFileSystemEntries(_cli.OutboxDirectory).Order().ToArray()); // nothing deleted, renamed or created
        Assert.Equal(times, before.Select(File.GetLastWriteTimeUtc).ToArray());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_drain_lock_is_created_0600_is_exclusive_and_refuses_a_symlink()
    {
        var store = new OutboxStore(_cli.OutboxDirectory, TimeSpan.FromHours(24));
        using (IDisposable? held = store.TryLockForDraining())
        {
            Assert.NotNull(held);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_cli.OutboxDirectory, ".drain.lock")));
            Assert.Null(store.TryLockForDraining()); // a second drainer is turned away while the first holds it
        }
        File.Delete(Path.Combine(_cli.OutboxDirectory, ".drain.lock"));
        string victim = Path.Combine(_cli.Home, "victim");
        File.CreateSymbolicLink(Path.Combine(_cli.OutboxDirectory, ".drain.lock"), victim);

        IOException refused = Assert.Throws<IOException>(() => store.TryLockForDraining());
        Assert.Contains("is a symbolic link", refused.Message);
        Assert.False(File.Exists(victim));
    }

    [Fact]
    public async Task Flush_holds_the_drain_lock_from_start_to_end()
    {
        Queue("hhhhhhhhhhhhhhhhhhhhhhhh", "bob@xsend.test", "waiting", Now);
        var store = new OutboxStore(_cli.OutboxDirectory, TimeSpan.FromHours(24));
        bool? lockedDuringSend = null;
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            using (IDisposable? other = store.TryLockForDraining())
                lockedDuringSend = other is null;
            Assert.Equal(1, await s.AckWindowAsync());
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult flush = await _cli.RunAsync(["outbox", "flush", .. Args(server.Endpoint)]);

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.True(lockedDuringSend);
        using (IDisposable? held = store.TryLockForDraining())
        {
            Queue("iiiiiiiiiiiiiiiiiiiiiiii", "bob@xsend.test", "another", Now);
            CliResult turnedAway = await _cli.RunAsync(["outbox", "flush", .. Args("127.0.0.1:1")]);
            Assert.Equal(75, turnedAway.ExitCode);
            Assert.Equal($"xsend: another xsend is draining {_cli.OutboxDirectory}; try again", Assert.Single(turnedAway.ErrorLines));
        }
    }

    [Fact]
    public async Task A_drain_removes_temporary_files_left_by_a_killed_run_but_not_young_ones()
    {
        string stale = _cli.WriteFile("outbox/.20261123T0900000000000-x.alert.json.4242.tmp", "{ half");
        string young = _cli.WriteFile("outbox/.20261123T1159000000000-y.alert.json.4343.tmp", "{ being written");
        File.SetLastWriteTimeUtc(stale, Now.AddHours(-3).UtcDateTime);
        File.SetLastWriteTimeUtc(young, Now.AddMinutes(-1).UtcDateTime);
        await using var server = new FakeXmppServer(s => AcceptAllAsync(s, 1));

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "fresh"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(young)); // perhaps another run's write in progress
    }
}
