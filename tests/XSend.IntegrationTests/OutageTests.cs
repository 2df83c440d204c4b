using Xunit.Abstractions;

namespace XSend.IntegrationTests;

/// <summary>Against the real Prosody: an outage, a crowd, and receipts.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class OutageTests(ProsodyFixture prosody, ITestOutputHelper output)
{
    [Fact]
    public async Task An_alert_raised_during_an_outage_is_queued_and_arrives_once_after_it_with_its_time()
    {
        string outbox = Directory.CreateTempSubdirectory("xsend-outage-").FullName;
        string config = prosody.WriteConfig("alice");
        string during = $"raised during the outage {Guid.NewGuid():N}";

        await prosody.StopAsync();
        DateTimeOffset raised = DateTimeOffset.UtcNow;
        ProcessResult queued;
        try
        {
            queued = await XsendProcess.RunAsync(["--config", config, "--timeout", "2", "kim@xsend.test", during], outbox: outbox);
        }
        finally
        {
            await prosody.ResumeAsync();
        }
        Assert.Equal(75, queued.ExitCode);
        Assert.EndsWith($"the alert was queued in {outbox} and will be sent by the next successful run\n", queued.Stderr);
        Assert.Single(Directory.GetFiles(outbox, "*.alert.json"));

        await using Receiver kim = await Receiver.OnlineAsync(prosody, "kim");
        ProcessResult next = await XsendProcess.RunAsync(["--config", config, "kim@xsend.test", "after the outage"], outbox: outbox);

        Assert.True(next.ExitCode == 0, next.Stderr);
        var messages = await kim.ReceiveAsync(2);
        Assert.Equal(during, messages[0].Body);
        Assert.NotNull(messages[0].Delay);
        Assert.InRange(messages[0].Delay!.Value, raised.AddSeconds(-2), raised.AddSeconds(3)); // our XEP-0203 stamp: when it was raised
        Assert.Equal("after the outage", messages[1].Body);
        Assert.Null(messages[1].Delay);
        await kim.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));
        Assert.Empty(Directory.GetFiles(outbox, "*.alert.json"));
    }

    [Fact]
    public async Task A_hundred_parallel_runs_all_arrive_exactly_once()
    {
        await using Receiver lena = await Receiver.OnlineAsync(prosody, "lena");
        string config = prosody.WriteConfig("alice");
        string run = Guid.NewGuid().ToString("N")[..8];
        string[] bodies = Enumerable.Range(1, 100).Select(i => $"load {run} #{i}").ToArray();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProcessResult[] results = await Task.WhenAll(bodies.Select(body =>
            XsendProcess.RunAsync(["--config", config, "--timeout", "60", "lena@xsend.test", body], limit: TimeSpan.FromSeconds(90))));
        TimeSpan sending = clock.Elapsed;

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        var received = await lena.ReceiveAsync(bodies.Length);
        await lena.AssertNothingMoreAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(bodies.Order(), received.Select(m => m.Body!).Order());
        output.WriteLine($"100 parallel xsend runs: all exited 0 in {sending.TotalSeconds:0.00} s wall; all 100 received after {clock.Elapsed.TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Wait_receipt_completes_when_the_recipients_client_sends_one()
    {
        await using Receiver bob = await Receiver.OnlineAsync(prosody, "bob", sendReceipts: true);
        Task<List<Xmpp.ReceivedMessage>> reading = bob.ReceiveAsync(); // the receipt goes out as bob reads

        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "--wait-receipt=20", "bob@xsend.test", "receipted"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("receipted", Assert.Single(await reading).Body);
    }

    [Fact]
    public async Task Wait_receipt_exits_80_when_the_recipient_is_offline()
    {
        ProcessResult result = await XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "--wait-receipt=2", "ivan@xsend.test", "nobody home"]);

        Assert.Equal(80, result.ExitCode);
        Assert.Equal("xsend: the server accepted the message, but no delivery receipt came from ivan@xsend.test within 2 s\n", result.Stderr);
    }
}
