namespace XSend.IntegrationTests;

/// <summary>Against the real Prosody: a queued alert the server refuses for good never blocks the others (issue #11, item 2).</summary>
[Collection(ProsodyCollection.Name)]
public sealed class PoisonAlertTests(ProsodyFixture prosody)
{
    [Fact]
    public async Task A_queued_alert_too_big_for_prosody_is_set_aside_and_the_next_alert_arrives()
    {
        string outbox = Directory.CreateTempSubdirectory("xsend-poison-").FullName;
        string config = prosody.WriteConfig("alice");
        // Over Prosody's c2s_stanza_size_limit (256 kB by default), under xsend's own 1 MiB: Prosody
        // ends the stream with policy-violation ("XML stanza is too big") right after the stanza.
        string big = Path.Combine(outbox, "..", $"big-{Guid.NewGuid():N}.txt");
        File.WriteAllText(big, "poison " + new string('x', 500_000));

        // Queued while the server cannot be reached (a closed port).
        ProcessResult queued = await XsendProcess.RunAsync(
            ["--config", config, "--server", "127.0.0.1:1", "--timeout", "1", "--file", big, "zoe@xsend.test"], outbox: outbox);
        Assert.Equal(75, queued.ExitCode);
        Assert.Single(Directory.GetFiles(outbox, "*.alert.json"));

        await using Receiver zoe = await Receiver.OnlineAsync(prosody, "zoe");
        ProcessResult next = await XsendProcess.RunAsync(["--config", config, "zoe@xsend.test", "small alert"], outbox: outbox);

        // The run's own alert is delivered (exit 0); the queued one is set aside, reported once, with Prosody's reason.
        Assert.True(next.ExitCode == 0, next.Stderr);
        Assert.Equal("small alert", Assert.Single(await zoe.ReceiveAsync()).Body);
        await zoe.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));
        string warning = Assert.Single(next.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches("^xsend: warning: queued alert [0-9a-f]{24} to zoe@xsend.test cannot be delivered and was set aside as .+\\.rejected: "
            + "message rejected by server: policy-violation \\(the server ended the stream right after this message: XML stanza is too big\\)$", warning);
        Assert.Empty(Directory.GetFiles(outbox, "*.alert.json"));
        Assert.Single(Directory.GetFiles(outbox, "*.rejected"));

        // Never again: the next run and a flush do not try it, and list shows it with the reason.
        ProcessResult again = await XsendProcess.RunAsync(["--config", config, "zoe@xsend.test", "another"], outbox: outbox);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal("", again.Stderr);
        Assert.Equal("another", Assert.Single(await zoe.ReceiveAsync()).Body);
        ProcessResult flush = await XsendProcess.RunAsync(["outbox", "flush", "--config", config], outbox: outbox);
        Assert.Equal(0, flush.ExitCode);
        Assert.Equal("sent 0 queued alert(s)\n", flush.Stdout);
        ProcessResult list = await XsendProcess.RunAsync(["outbox", "list"], outbox: outbox);
        Assert.Contains("alice@xsend.test -> zoe@xsend.test  poison xxx", list.Stdout);
        Assert.Contains("XML stanza is too big", list.Stdout);
        File.Delete(big);
        Directory.Delete(outbox, recursive: true);
    }
}
