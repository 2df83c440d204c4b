namespace XSend.IntegrationTests;

/// <summary>
/// The second real server: ejabberd 23.01. STARTTLS and direct TLS deliver; over TLS 1.2 the
/// client picks the SCRAM-SHA-1-PLUS ejabberd offers and binds it with tls-unique; over TLS 1.3
/// (where ejabberd names no binding type and the default, tls-exporter, is out of .NET's reach)
/// it logs in unbound, and refuses to when channel binding is required.
/// </summary>
[Collection(EjabberdCollection.Name)]
public sealed class EjabberdTests(EjabberdFixture ejabberd)
{
    private static Task<ProcessResult> SendAsync(string config, string to, string text, params string[] options) =>
        XsendProcess.RunAsync(["--config", config, "--timeout", "20", .. options, $"{to}@{SandboxServerFixture.Domain}", text]);

    [Fact]
    public async Task Starttls_delivers_with_scram_sha1_when_tls13_leaves_no_binding_type()
    {
        await using Receiver bob = await Receiver.OnlineAsync(ejabberd, "bob");

        ProcessResult result = await SendAsync(ejabberd.WriteConfig("alice"), "bob", "报警 via ejabberd", "-v");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("TLS established: TLS 1.3", result.Stderr);
        Assert.Contains("the server offers PLAIN, SCRAM-SHA-1-PLUS, SCRAM-SHA-1", result.Stderr);
        Assert.Contains("authenticated as alice@xsend.test with SCRAM-SHA-1\n", result.Stderr.ReplaceLineEndings("\n"));
        var message = Assert.Single(await bob.ReceiveAsync());
        Assert.Equal("报警 via ejabberd", message.Body);
        Assert.Equal("chat", message.Type);
    }

    [Fact]
    public async Task Direct_tls_delivers()
    {
        await using Receiver carol = await Receiver.OnlineAsync(ejabberd, "carol");
        string config = ejabberd.WriteConfig("alice", server: $"127.0.0.1:{ejabberd.DirectTlsPort}");

        ProcessResult result = await SendAsync(config, "carol", "over direct TLS", "--direct-tls", "-v");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("(direct TLS)", result.Stderr);
        Assert.Equal("over direct TLS", Assert.Single(await carol.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Over_tls12_scram_sha1_plus_is_chosen_and_bound_to_tls_unique()
    {
        await using Receiver dave = await Receiver.OnlineAsync(ejabberd, "dave");
        string config = ejabberd.WriteConfig("alice", server: $"127.0.0.1:{ejabberd.Tls12Port}");

        ProcessResult result = await SendAsync(config, "dave", "channel-bound alert", "--require-channel-binding", "-v");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("TLS established: TLS 1.2", result.Stderr);
        Assert.Contains("authenticated as alice@xsend.test with SCRAM-SHA-1-PLUS bound to tls-unique", result.Stderr);
        Assert.Equal("channel-bound alert", Assert.Single(await dave.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Check_reports_the_channel_binding_over_tls12()
    {
        string config = ejabberd.WriteConfig("erin", server: $"127.0.0.1:{ejabberd.Tls12Port}");

        ProcessResult result = await XsendProcess.RunAsync(["check", "--config", config, "--timeout", "20"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("sasl:         offered PLAIN, SCRAM-SHA-1-PLUS, SCRAM-SHA-1; used SCRAM-SHA-1-PLUS bound to tls-unique", result.Stdout);
    }

    [Fact]
    public async Task Requiring_channel_binding_over_tls13_fails_with_the_reason()
    {
        ProcessResult result = await SendAsync(ejabberd.WriteConfig("alice"), "sink", "never sent", "--require-channel-binding", "--no-outbox");

        Assert.Equal(77, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no acceptable authentication mechanism", line);
        Assert.Contains("SCRAM-SHA-1-PLUS (the server names no channel-binding type (XEP-0440), so over TLS 1.3 it expects tls-exporter", line);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_does_not_lock_out_the_next_send()
    {
        ProcessResult wrong = await SendAsync(ejabberd.WriteConfig("frank", password: "not-the-password"), "sink", "hi", "--no-outbox");

        Assert.Equal(77, wrong.ExitCode);
        Assert.Matches(@"^xsend: authentication failed: not-authorized( \(.+\))?\n$", wrong.Stderr);

        // With ejabberd's default mod_fail2ban this next login from 127.0.0.1 could be banned.
        ProcessResult right = await SendAsync(ejabberd.WriteConfig("frank"), "sink", "after a wrong password");
        Assert.True(right.ExitCode == 0, right.Stderr);
    }

    [Fact]
    public async Task A_pinned_channel_bound_login_refuses_the_later_unbound_one()
    {
        // Why --pin-mechanism is opt-in: after a SCRAM-SHA-1-PLUS login over TLS 1.2, the same
        // server reached over TLS 1.3 leaves only unbound SCRAM-SHA-1, and the pin refuses it.
        // The remembered mechanism lives in the state directory: the runs share one.
        string state = Directory.CreateTempSubdirectory("xsend-state-").FullName;
        Task<ProcessResult> SendPinnedAsync(string config, string text, params string[] options) =>
            XsendProcess.RunAsync(["--config", config, "--timeout", "20", "--pin-mechanism", .. options, $"sink@{SandboxServerFixture.Domain}", text],
                state: state);
        string tls12 = ejabberd.WriteConfig("gus", server: $"127.0.0.1:{ejabberd.Tls12Port}");
        ProcessResult bound = await SendPinnedAsync(tls12, "bound and pinned");
        Assert.True(bound.ExitCode == 0, bound.Stderr);

        ProcessResult unbound = await SendPinnedAsync(ejabberd.WriteConfig("gus"), "refused", "--no-outbox");

        Assert.Equal(77, unbound.ExitCode);
        Assert.Contains("everything weaker than SCRAM-SHA-1-PLUS, which this account used before", unbound.Stderr);
        ProcessResult unpinned = await SendAsync(ejabberd.WriteConfig("gus"), "sink", "without the pin");
        Assert.True(unpinned.ExitCode == 0, unpinned.Stderr);
    }
}
