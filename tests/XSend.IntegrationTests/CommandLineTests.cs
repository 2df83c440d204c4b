namespace XSend.IntegrationTests;

/// <summary>The real binary's grammar and its behaviour with closed standard streams, against Prosody.</summary>
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
        await using Receiver xena = await Receiver.OnlineAsync(prosody, "xena");

        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "xena@xsend.test", "stdin", "closed"],
            redirections: "<&-");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        Assert.Equal("stdin closed", Assert.Single(await xena.ReceiveAsync()).Body);
    }

    [Theory]
    [InlineData("<&-")]
    [InlineData("<&- 2>&-")]
    public async Task Version_works_with_stdin_closed(string redirections)
    {
        ProcessResult result = await XsendProcess.RunAsync(["--version"], redirections: redirections);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Version_with_stdout_closed_does_not_crash()
    {
        ProcessResult result = await XsendProcess.RunAsync(["--version"], redirections: ">&-");

        Assert.Equal(0, result.ExitCode);
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
}
