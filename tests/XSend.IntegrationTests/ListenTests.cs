namespace XSend.IntegrationTests;

/// <summary><c>xsend listen</c> receives what <c>xsend</c> sent, through the real server.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class ListenTests(ProsodyFixture prosody)
{
    [Fact]
    public async Task Listen_prints_a_message_sent_while_it_was_offline_and_one_sent_live()
    {
        string stored = $"stored {Guid.NewGuid():N}";
        ProcessResult sent = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "grace@xsend.test", stored]);
        Assert.True(sent.ExitCode == 0, sent.Stderr);

        var printed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<ProcessResult> listening = XsendProcess.RunAsync(["listen", "--config", prosody.WriteConfig("grace"), "--count", "2", "--timeout", "30"],
            onOutputLine: _ => printed.TrySetResult());
        // The stored message is delivered after grace's presence, so once it is printed the
        // session is up and a live message reaches it.
        await printed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        string live = $"live 报警 {Guid.NewGuid():N}\nsecond line";
        Assert.Equal(0, (await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "grace@xsend.test"], stdin: live)).ExitCode);

        ProcessResult result = await listening;
        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^alice@xsend\.test/xsend-[0-9a-f]{{8}} \(chat\): {stored}$", lines[0]);
        Assert.EndsWith($"(chat): {live.Replace("\n", "\\n")}", lines[1]);
    }

    [Fact]
    public async Task Listen_without_count_ends_quietly_at_the_timeout()
    {
        ProcessResult result = await XsendProcess.RunAsync(["listen", "--config", prosody.WriteConfig("judy"), "--timeout", "1.5"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Listen_with_a_count_not_reached_exits_75_saying_how_many_arrived()
    {
        ProcessResult result = await XsendProcess.RunAsync(["listen", "--config", prosody.WriteConfig("judy"), "--count", "2", "--timeout", "1.5"]);

        Assert.Equal(75, result.ExitCode);
        Assert.Equal("xsend: timed out after 1.5 s while waiting for incoming messages (0 of 2 messages arrived)\n", result.Stderr);
    }
}
