using System.Text;
using System.Text.RegularExpressions;
using XSend.Cli;
using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// 75 always means queued: a message that never fully arrived on stdin is not queued and says
/// so (73); a receipt wait names its real length, and an interrupted one says it was interrupted.
/// </summary>
public sealed class UnqueuedOutcomeTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static readonly string[] SendArgs =
        ["--jid", "alice@xsend.test", "--password", "pw", "--server", "127.0.0.1:1", "--timeout", "1", "bob@xsend.test"];

    /// <summary>Runs the CLI with a stdin that delivers part of a message and then stalls (the writer never closes it).</summary>
    private async Task<CliResult> RunWithStalledStdinAsync(string[] args, CancellationToken cancellationToken)
    {
        (Stream stdin, Stream writer) = DuplexPipe.Create();
        await writer.WriteAsync(Encoding.UTF8.GetBytes("first line\nsecond li"), cancellationToken);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int code = await XSendApp.RunAsync(args, stdin, stdout, stderr, _cli.Environment(stdinIsTerminal: false), cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30));
        return new CliResult(code, stdout.ToString(), stderr.ToString(), clock.Elapsed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stdin_read_that_times_out_queues_nothing_and_exits_73(bool lineMode)
    {
        CliResult result = await RunWithStalledStdinAsync(lineMode ? ["--line-mode", .. SendArgs] : SendArgs, CancellationToken.None);

        Assert.Equal(73, result.ExitCode);
        Assert.Equal("xsend: timed out after 1 s while reading the message from stdin; nothing was sent or queued", Assert.Single(result.ErrorLines));
        Assert.InRange(result.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task An_interruption_while_reading_stdin_queues_nothing_and_exits_73()
    {
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        CliResult result = await RunWithStalledStdinAsync(["--jid", "alice@xsend.test", "--password", "pw", "--server", "127.0.0.1:1",
            "--timeout", "20", "bob@xsend.test"], interrupt.Token);

        Assert.Equal(73, result.ExitCode);
        Assert.Equal("xsend: interrupted while reading the message from stdin; nothing was sent or queued", Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts);
    }

    private static FakeXmppServer AcceptedWithoutReceipt(TaskCompletionSource? acked = null) => new(async s =>
    {
        await Conversation.EstablishSessionAsync(s, "pw");
        await s.ExpectAsync("<message type='chat' id='{msgId}' to='bob@xsend.test'><body>hi</body><request xmlns='urn:xmpp:receipts'/>*</message>");
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
        await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='1'/>");
        acked?.TrySetResult();
        await Task.Delay(TimeSpan.FromSeconds(20)); // the recipient never answers
    });

    private static string[] ReceiptArgs(FakeXmppServer server, string timeout) =>
        ["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath,
            "--timeout", timeout, "--wait-receipt", "bob@xsend.test", "hi"];

    [Fact]
    public async Task A_receipt_wait_cut_short_by_the_deadline_names_the_real_wait()
    {
        await using var server = AcceptedWithoutReceipt();

        CliResult result = await _cli.RunAsync(ReceiptArgs(server, "2"));

        Assert.Equal(80, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Match wait = Regex.Match(line, @"^xsend: the server accepted the message, but no delivery receipt came from bob@xsend\.test in the ([0-9.]+) s left before the 2 s deadline$");
        Assert.True(wait.Success, line);
        Assert.InRange(double.Parse(wait.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.5, 2.0); // not the 30 s asked for
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task An_interrupted_receipt_wait_is_reported_as_an_interruption()
    {
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = AcceptedWithoutReceipt(acked);
        using var interrupt = new CancellationTokenSource();
        Task<CliResult> run = _cli.RunAsync(ReceiptArgs(server, "20"), cancellationToken: interrupt.Token);
        await acked.Task.WaitAsync(TimeSpan.FromSeconds(20));
        interrupt.CancelAfter(TimeSpan.FromMilliseconds(200)); // while it waits for the receipt

        CliResult result = await run;

        Assert.Equal(80, result.ExitCode);
        Assert.Matches(@"^xsend: the server accepted the message, but the wait for a delivery receipt from bob@xsend\.test was interrupted after [0-9.]+ s$",
            Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts); // accepted: queueing it would deliver it twice
    }
}
