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

    [Fact]
    public async Task Listen_survives_a_tcp_cut_and_what_was_sent_meanwhile_arrives_once_after_it_resumes()
    {
        await using var proxy = new CuttingProxy(prosody.Port, long.MaxValue);
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        Task<ProcessResult> listening = XsendProcess.RunAsync(
            ["listen", "--config", prosody.WriteConfig("leo", server: proxy.Endpoint), "--count", "3", "--timeout", "60", "-v"],
            onOutputLine: line => lines.Writer.TryWrite(line), limit: TimeSpan.FromSeconds(70));
        string tag = Guid.NewGuid().ToString("N")[..8];

        await SendAsync("leo", $"before the cut {tag}");
        Assert.EndsWith($"before the cut {tag}", await NextLineAsync(lines));

        proxy.Refusing = true;
        proxy.CutAll();
        await SendAsync("leo", $"during the cut {tag}"); // the server holds it for the hibernating session
        proxy.Refusing = false;
        Assert.EndsWith($"during the cut {tag}", await NextLineAsync(lines));

        await SendAsync("leo", $"after the cut {tag}");
        ProcessResult result = await listening;
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(3, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith($"after the cut {tag}", result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[2]);
        Assert.Contains("resumed the session", result.Stderr);
        Assert.True(proxy.Connections >= 2, "the listener never reconnected");
    }

    [Fact]
    public async Task Listen_survives_a_server_restart_and_what_was_sent_meanwhile_arrives_once()
    {
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        Task<ProcessResult> listening = XsendProcess.RunAsync(
            ["listen", "--config", prosody.WriteConfig("mia"), "--count", "3", "--timeout", "90", "-v"],
            onOutputLine: line => lines.Writer.TryWrite(line), limit: TimeSpan.FromSeconds(100));
        string tag = Guid.NewGuid().ToString("N")[..8];

        await SendAsync("mia", $"before the restart {tag}");
        Assert.EndsWith($"before the restart {tag}", await NextLineAsync(lines));

        await prosody.StopAsync();
        await prosody.ResumeAsync();
        // Sent while the listener is still reconnecting (its backoff is at least 0.25 s): stored, then delivered to its new session.
        await SendAsync("mia", $"during the restart {tag}");
        Assert.EndsWith($"during the restart {tag}", await NextLineAsync(lines));

        await SendAsync("mia", $"after the restart {tag}");
        ProcessResult result = await listening;
        Assert.True(result.ExitCode == 0, result.Stderr);
        string[] printed = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, printed.Length);
        Assert.EndsWith($"after the restart {tag}", printed[2]);
        Assert.Contains("reconnecting", result.Stderr);
    }

    private async Task SendAsync(string to, string body)
    {
        ProcessResult sent = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "--timeout", "20", $"{to}@xsend.test", body]);
        Assert.True(sent.ExitCode == 0, sent.Stderr);
    }

    private static async Task<string> NextLineAsync(System.Threading.Channels.Channel<string> lines) =>
        await lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(45));
}

