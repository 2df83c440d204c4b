using Xunit.Abstractions;

namespace XSend.IntegrationTests;

/// <summary>Several recipients and line mode through the real server.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class RecipientsTests(ProsodyFixture prosody, ITestOutputHelper output)
{
    [Fact]
    public async Task Several_recipients_one_of_them_nonexistent_get_a_partial_failure_naming_it()
    {
        await using Receiver mike = await Receiver.OnlineAsync(prosody, "mike");
        await using Receiver nina = await Receiver.OnlineAsync(prosody, "nina");

        ProcessResult result = await XsendProcess.RunAsync(
            ["--config", prosody.WriteConfig("alice"), "-m", "fan-out 报警", "mike@xsend.test", "ghost@xsend.test", "nina@xsend.test"]);

        Assert.Equal(81, result.ExitCode);
        Assert.Matches(@"^xsend: ghost@xsend\.test: message rejected by ghost@xsend\.test: service-unavailable.*\n$", result.Stderr);
        Assert.Equal("fan-out 报警", Assert.Single(await mike.ReceiveAsync()).Body);
        Assert.Equal("fan-out 报警", Assert.Single(await nina.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task Line_mode_delivers_a_thousand_lines_in_order_over_one_connection()
    {
        await using Receiver oscar = await Receiver.OnlineAsync(prosody, "oscar");
        string[] lines = Enumerable.Range(1, 1000).Select(i => $"line {i:0000} 报警").ToArray();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        ProcessResult result = await XsendProcess.RunAsync(
            ["--config", prosody.WriteConfig("alice"), "--line-mode", "--timeout", "60", "oscar@xsend.test"], stdin: string.Join('\n', lines) + "\n");
        TimeSpan sending = clock.Elapsed;

        Assert.True(result.ExitCode == 0, result.Stderr);
        var received = await oscar.ReceiveAsync(lines.Length);
        Assert.Equal(lines, received.Select(m => m.Body));
        Assert.Single(received.Select(m => m.From).Distinct()); // one session sent them all
        output.WriteLine($"--line-mode: 1000 messages accepted in {sending.TotalSeconds:0.00} s");
    }
}
