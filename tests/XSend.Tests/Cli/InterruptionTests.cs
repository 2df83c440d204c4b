using System.Text;
using XSend.Cli.Outbox;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// Interruptions must not multiply alerts: queued alerts leave the outbox as soon as the server
/// acks them, an interrupted run queues only what is unacked, and a server that never acks gets an
/// alert at most twice in a run.
/// </summary>
public sealed class InterruptionTests : IDisposable
{
    private const string Password = "pw";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string[] Args(FakeXmppServer server, string timeout, params string[] rest) =>
    [
        "--jid", "alice@xsend.test", "--password-file", _cli.WriteFile("password", Password + "\n"), "--server", server.Endpoint,
        "--ca-file", TestCertificates.CaPemPath, "--timeout", timeout, .. rest,
    ];

    [Fact]
    public async Task A_server_that_never_acks_gets_the_alert_at_most_twice_and_it_is_queued_once()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            await s.ExpectAsync(Conversation.MessagePattern);
            ids.Add(s.Captures["msgId"]);
            await s.UntilClientLeavesAsync();
        });

        CliResult result = await _cli.RunAsync(Args(server, "6", "bob@xsend.test", "disk", "full"));

        Assert.Equal(75, result.ExitCode);
        Assert.Contains("the alert was queued", result.Stderr);
        Assert.InRange(ids.Count, 1, 2);
        Assert.Single(ids.Distinct()); // every copy carries the same id
        string queued = File.ReadAllText(Assert.Single(_cli.QueuedAlerts));
        Assert.Contains(ids.First(), queued);
    }

    [Fact]
    public async Task An_interrupted_run_removes_acked_queued_alerts_at_once_and_queues_only_the_unacked_window()
    {
        // Two queued alerts and 201 lines: the first window (200) is acked, the second (3) is
        // written, then SIGTERM comes and the server never acks it.
        var store = new OutboxStore(_cli.OutboxDirectory, TimeSpan.FromHours(24));
        DateTimeOffset created = _cli.Time.GetUtcNow().AddMinutes(-5);
        store.Enqueue(new OutboxEntry("queued-1", "alice@xsend.test", "bob@xsend.test", "queued one", "chat", null, created, "test"));
        store.Enqueue(new OutboxEntry("queued-2", "alice@xsend.test", "bob@xsend.test", "queued two", "chat", null, created.AddSeconds(1), "test"));
        string lines = string.Concat(Enumerable.Range(1, 201).Select(i => $"line {i}\n"));
        var secondWindowWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int queuedWhileSending = -1;
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, Password);
            Assert.Equal(200, await s.AckWindowAsync());
            for (int i = 0; i < 3; i++)
                await s.ExpectAsync(Conversation.MessagePattern);
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            queuedWhileSending = _cli.QueuedAlerts.Length;
            secondWindowWritten.TrySetResult();
            await s.UntilClientLeavesAsync();
        }, maxConnections: 1);
        using var sigterm = new CancellationTokenSource();

        Task<CliResult> run = _cli.RunAsync(Args(server, "20", "--line-mode", "bob@xsend.test"), Encoding.UTF8.GetBytes(lines), sigterm.Token);
        await secondWindowWritten.Task.WaitAsync(TimeSpan.FromSeconds(20));
        sigterm.Cancel();
        CliResult result = await run;

        Assert.Equal(0, queuedWhileSending); // the acked queued alerts left before the run ended
        Assert.Equal(81, result.ExitCode); // some were delivered, the rest queued
        Assert.Contains("interrupted", result.Stderr);
        Assert.Contains("3 alerts were queued", result.Stderr);
        string queued = File.ReadAllText(Assert.Single(_cli.QueuedAlerts)); // the unsent batch is one file
        foreach (int line in new[] { 199, 200, 201 })
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(queued, $"\"line {line}\""));
        Assert.DoesNotContain("\"line 198\"", queued);
        Assert.Equal(1, server.Connections);
    }
}
