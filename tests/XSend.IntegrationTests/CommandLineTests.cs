namespace XSend.IntegrationTests;

/// <summary>The real binary's grammar, closed standard streams and mixed-up TLS ports, against Prosody.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class CommandLineTests(ProsodyFixture prosody)
{
    [Fact]
    public async Task Every_word_after_the_recipient_arrives_as_text()
    {
        await using Receiver wes = await Receiver.OnlineAsync(prosody, "wes");
        string[] text = ["disk", "check", "failed", "-m", "low", "-v", "--", "outbox", "--timeout", "1", "listen"];

        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "wes@xsend.test", .. text]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr); // -v in the text narrated nothing
        Assert.Equal(string.Join(' ', text), Assert.Single(await wes.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task A_send_with_its_text_works_with_stdin_closed()
    {
        await using Receiver yuri = await Receiver.OnlineAsync(prosody, "yuri");

        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "yuri@xsend.test", "stdin", "closed"],
            redirections: "<&-");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        Assert.Equal("stdin closed", Assert.Single(await yuri.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task A_send_without_text_and_stdin_closed_asks_for_text()
    {
        // The runtime may take descriptor 0 for itself before Main (/dev/urandom, a pipe): never read it as the message.
        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "--timeout", "5", "bob@xsend.test"],
            redirections: "<&-");

        Assert.Equal(64, result.ExitCode);
        Assert.Equal("xsend: no message text: give it after the recipient, or pipe it on stdin\n", result.Stderr);
    }

    [Theory]
    [InlineData("<&-", true)]
    [InlineData("<&- 2>&-", true)]
    [InlineData(">&-", false)]
    public async Task Version_works_with_a_standard_stream_closed(string redirections, bool stdoutOpen)
    {
        ProcessResult result = await XsendProcess.RunAsync(["--version"], redirections: redirections);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(stdoutOpen ? @"^\d+\.\d+\.\d+" : "^$", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Theory]
    [InlineData("2>&-")]
    [InlineData("<&- >&- 2>&-")]
    public async Task A_failure_with_stderr_closed_exits_with_its_own_code(string redirections)
    {
        ProcessResult result = await XsendProcess.RunAsync(
            ["--config", prosody.WriteConfig("alice", password: "not-the-password"), "--no-outbox", "bob@xsend.test", "hi"],
            redirections: redirections);

        Assert.Equal(77, result.ExitCode);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Direct_tls_to_prosodys_starttls_port_is_a_configuration_mistake()
    {
        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "--direct-tls", "--timeout", "20", "bob@xsend.test", "hi"]);

        Assert.Equal(78, result.ExitCode);
        Assert.Equal("xsend: the server answered the TLS handshake in plain XML: the port seems to speak STARTTLS, a configuration mistake; "
            + "drop --direct-tls, or use the direct TLS port (usually 5223)\n", result.Stderr);
    }

    [Fact]
    public async Task Starttls_to_prosodys_direct_tls_port_is_a_configuration_mistake_not_queued()
    {
        string server = $"127.0.0.1:{prosody.DirectTlsPort}";
        string outbox = Directory.CreateTempSubdirectory("xsend-outbox-").FullName;

        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice", server: server), "--timeout", "20", "bob@xsend.test", "hi"],
            outbox: outbox);

        Assert.Equal(78, result.ExitCode);
        Assert.Equal($"xsend: {server} did not answer the XMPP stream header but speaks TLS: it is a direct TLS port (XEP-0368), "
            + "a configuration mistake; use --direct-tls, or the STARTTLS port (usually 5222)\n", result.Stderr);
        Assert.Empty(Directory.GetFiles(outbox, "*.alert.json"));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}: retried?");
    }

    [Fact]
    public async Task Check_json_prints_an_object_on_failure()
    {
        ProcessResult result = await XsendProcess.RunAsync(
            ["check", "--json", "--config", prosody.WriteConfig("alice", password: "not-the-password")]);

        Assert.Equal(77, result.ExitCode);
        using System.Text.Json.JsonDocument json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(77, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(result.Stderr.TrimEnd('\n'), "xsend: " + json.RootElement.GetProperty("error").GetString());
    }
}
