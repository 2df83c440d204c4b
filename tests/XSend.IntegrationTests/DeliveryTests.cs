namespace XSend.IntegrationTests;

/// <summary>Alerts sent by the real xsend binary really arrive through a real Prosody.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class DeliveryTests(ProsodyFixture prosody)
{
    private Task<ProcessResult> SendAsync(string from, string to, string[] text, string? stdin = null, params string[] options) =>
        XsendProcess.RunAsync(["--config", prosody.WriteConfig(from), "--timeout", "20", .. options, ProsodyFixture.JidOf(to).ToString(), .. text], stdin);

    public static TheoryData<string, string> Bodies => new()
    {
        { "ascii", "disk full on db1: /var at 97%" },
        { "chinese", "报警 磁盘满" },
        { "10kB", string.Concat(Enumerable.Range(0, 10 * 1024 / 16).Select(i => $"line {i,5} <&>\"'\n"))[..(10 * 1024)] },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Message_reaches_an_online_recipient_exactly(string kind, string body)
    {
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "bob");

        ProcessResult result = await SendAsync("alice", "bob", [], stdin: body);

        Assert.True(result.ExitCode == 0, $"{kind}: exit {result.ExitCode}: {result.Stderr}");
        Assert.Equal("", result.Stdout);
        Assert.Equal("", result.Stderr);
        var message = Assert.Single(await bob.ReceiveAsync());
        Assert.Equal(body.TrimEnd('\n'), message.Body);
        Assert.Equal("chat", message.Type);
        Assert.Matches(@"^alice@xsend\.test/xsend-[0-9a-f]{8}$", message.From);
    }

    [Fact]
    public async Task Words_on_the_command_line_arrive_joined_with_spaces()
    {
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "bob");

        ProcessResult result = await SendAsync("alice", "bob", ["报警", "磁盘满", "db1"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("报警 磁盘满 db1", Assert.Single(await bob.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Offline_recipient_gets_the_message_on_next_login()
    {
        string body = $"offline alert {Guid.NewGuid():N}";

        ProcessResult result = await SendAsync("alice", "carol", [body]);
        Assert.True(result.ExitCode == 0, result.Stderr);

        await using Receiver carol = await Receiver.OnlineAsync(prosody, "carol");
        var message = Assert.Single(await carol.ReceiveAsync());
        Assert.Equal(body, message.Body);
        Assert.NotNull(message.Delay); // stored offline, stamped by the server (XEP-0203)
    }

    [Fact]
    public async Task Sending_does_not_consume_the_senders_own_offline_messages()
    {
        // erin is offline; frank leaves her a message. Then erin sends an alert with xsend.
        // Because xsend sends no presence, the server keeps frank's message for erin's real client.
        string forErin = $"for erin {Guid.NewGuid():N}";
        Assert.Equal(0, (await SendAsync("frank", "erin", [forErin])).ExitCode);

        ProcessResult result = await SendAsync("erin", "henry", ["erin's alert"]);
        Assert.True(result.ExitCode == 0, result.Stderr);

        await using Receiver erin = await Receiver.OnlineAsync(prosody, "erin");
        Assert.Equal(forErin, Assert.Single(await erin.ReceiveAsync()).Body);
        await using Receiver henry = await Receiver.OnlineAsync(prosody, "henry");
        Assert.Equal("erin's alert", Assert.Single(await henry.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Verbose_run_shows_tls_scram_and_the_servers_ack()
    {
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "bob");

        ProcessResult result = await SendAsync("alice", "bob", ["verbose"], null, "-v");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("TLS established: TLS 1.3", result.Stderr);
        Assert.Contains("authenticated as alice@xsend.test with SCRAM-SHA-1", result.Stderr);
        Assert.Contains("accepted by the server (acked, h=1)", result.Stderr);
        Assert.Equal("verbose", Assert.Single(await bob.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Twenty_parallel_runs_all_arrive()
    {
        await using Receiver dave = await Receiver.OnlineAsync(prosody, "dave");
        string run = Guid.NewGuid().ToString("N")[..8];
        string[] bodies = Enumerable.Range(1, 20).Select(i => $"parallel {run} #{i}").ToArray();

        ProcessResult[] results = await Task.WhenAll(bodies.Select(body => SendAsync("alice", "dave", [body])));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        var received = await dave.ReceiveAsync(bodies.Length);
        Assert.Equal(bodies.Order(), received.Select(m => m.Body!).Order());
        // A unique resource per run: twenty distinct sessions, none evicted another.
        Assert.Equal(20, received.Select(m => m.From).Distinct().Count());
    }
}
