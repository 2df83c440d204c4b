using System.Diagnostics;
using System.Security.Cryptography;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>A real SIGTERM or SIGHUP to a real xsend process mid-send leaves the alert in the outbox.</summary>
public sealed class SignalTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")] // a closed terminal or a supervisor's reload: once a silent exit 129 that lost the alert
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_signal_while_waiting_for_the_ack_queues_the_alert_and_exits_75(string signal)
    {
        var messageSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(Conversation.MessagePattern);
            messageSent.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(20)); // never acks
        });

        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "xsend"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        foreach (string arg in new[] { "--jid", "alice@xsend.test", "--password-file", _cli.WriteFile("pw", "pw"), "--server", server.Endpoint,
                     "--ca-file", TestCertificates.CaPemPath, "--timeout", "30", "bob@xsend.test", "disk", "full" })
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = _cli.Home;
        start.Environment["XSEND_OUTBOX__DIRECTORY"] = _cli.OutboxDirectory;

        using Process xsend = Process.Start(start)!;
        Task<string> stderr = xsend.StandardError.ReadToEndAsync();
        await messageSent.Task.WaitAsync(TimeSpan.FromSeconds(20));
        using (Process kill = Process.Start("kill", [$"-{signal}", xsend.Id.ToString()])!)
            await kill.WaitForExitAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await xsend.WaitForExitAsync(limit.Token);

        Assert.Equal(75, xsend.ExitCode);
        Assert.Matches("^xsend: interrupted before the server accepted the message; the alert was queued in .+\n$", await stderr);
        Assert.Single(_cli.QueuedAlerts);
    }
}
