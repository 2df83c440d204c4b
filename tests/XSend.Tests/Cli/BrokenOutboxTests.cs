using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// An outbox that cannot be used (a file in its place, an uncreatable path, a full disk, a
/// symlinked lock) never stops a send: with the server up the alert is delivered with one
/// warning; with the server down the one line says the alert was NOT queued, exit 73, and no
/// temporary file is left behind.
/// </summary>
public sealed class BrokenOutboxTests : IDisposable
{
    private const string Password = "s3cret-Pa55";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string[] Args(string endpoint, params string[] rest) =>
        ["--jid", "alice@xsend.test", "--password", Password, "--server", endpoint, "--ca-file", TestCertificates.CaPemPath, .. rest];

    private static FakeXmppServer AcceptingServer() => new(async s =>
    {
        await Conversation.EstablishSessionAsync(s, Password);
        Assert.Equal(1, await s.AckWindowAsync());
        await s.ExpectAsync("*</stream:stream>");
    });

    /// <summary>Ways to break the outbox; each returns the directory to configure.</summary>
    public static TheoryData<string> Breakages() => ["a file in its place", "under a file", "a symlinked lock"];

    private string Break(string how)
    {
        switch (how)
        {
            case "a file in its place":
                return _cli.WriteFile("outbox-file", "not a directory");
            case "under a file":
                return Path.Combine(_cli.WriteFile("plain", "x"), "outbox"); // ENOTDIR: uncreatable
            default:
                string directory = Path.Combine(_cli.Home, "linked");
                Directory.CreateDirectory(directory);
                File.CreateSymbolicLink(Path.Combine(directory, ".drain.lock"), Path.Combine(_cli.Home, "victim"));
                return directory;
        }
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task With_the_server_up_the_alert_is_delivered_with_one_warning(string how)
    {
        _cli.Variables["XSEND_OUTBOX__DIRECTORY"] = Break(how);
        await using var server = AcceptingServer();

        CliResult result = await _cli.RunAsync(Args(server.Endpoint, "bob@xsend.test", "disk full"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Null(server.ScriptFailure);
        string[] warnings = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("--password")).ToArray();
        Assert.StartsWith("xsend: warning: cannot use the outbox ", Assert.Single(warnings));
        Assert.EndsWith("until it is fixed, alerts that fail cannot be queued", warnings[0]);
        Assert.False(File.Exists(Path.Combine(_cli.Home, "victim"))); // the symlinked lock was never followed
    }

    [Theory]
    [InlineData("a file in its place")]
    [InlineData("under a file")]
    public async Task With_the_server_down_the_line_says_the_alert_was_not_queued_and_exits_73(string how)
    {
        _cli.Variables["XSEND_OUTBOX__DIRECTORY"] = Break(how);

        CliResult result = await _cli.RunAsync(Args("127.0.0.1:1", "--timeout", "1", "bob@xsend.test", "disk full"));

        Assert.Equal(73, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("xsend: connection refused", line);
        Assert.Contains("; the alert was NOT queued: cannot write to the outbox ", line);
        Assert.DoesNotContain("warning: cannot use the outbox", result.Stderr); // the one line says it all
    }

    [Fact]
    public async Task A_full_disk_leaves_no_temporary_file_and_the_line_says_not_queued()
    {
        _cli.OpenOutboxFile = (path, options) =>
        {
            new FileStream(path, options).Dispose(); // the file is created, then the disk is full
            throw new IOException("No space left on device");
        };

        CliResult result = await _cli.RunAsync(Args("127.0.0.1:1", "--timeout", "1", "-m", "disk full", "bob@xsend.test", "carol@xsend.test"));

        Assert.Equal(73, result.ExitCode);
        Assert.EndsWith("2 alerts were NOT queued: cannot write to the outbox " + _cli.OutboxDirectory + ": No space left on device", Assert.Single(result.ErrorLines));
        Assert.Equal([Path.Combine(_cli.OutboxDirectory, ".drain.lock")], Directory.GetFileSystemEntries(_cli.OutboxDirectory)); // no .tmp left
    }
}
