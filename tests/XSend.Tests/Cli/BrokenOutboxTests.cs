using System.Diagnostics;
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

    /// <summary>
    /// The real binary with its outbox in a mode-0500 directory it owns: as root that mode stops
    /// nothing, so a root test run drops to <c>nobody</c> with setpriv (util-linux).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_outbox_directory_with_the_real_binary(bool serverUp)
    {
        bool root = Environment.UserName == "root";
        string directory = Directory.CreateTempSubdirectory("xsend-0500-").FullName; // under /tmp: reachable for nobody
        string passwordFile = Path.Combine(directory, "..", Path.GetFileName(directory) + ".pw");
        File.WriteAllText(passwordFile, Password);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string ca = Path.Combine(directory, "..", Path.GetFileName(directory) + ".pem");
        File.Copy(TestCertificates.CaPemPath, ca);
        if (root)
        {
            foreach (string path in new[] { directory, ca })
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using Process chown = Process.Start("chown", ["nobody", directory, passwordFile])!;
            await chown.WaitForExitAsync();
        }
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute); // 0500
        await using var server = AcceptingServer();

        var start = new ProcessStartInfo(root ? "setpriv" : Path.Combine(AppContext.BaseDirectory, "xsend"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        string[] args = ["--jid", "alice@xsend.test", "--password-file", passwordFile, "--server", serverUp ? server.Endpoint : "127.0.0.1:1",
            "--ca-file", ca, "--timeout", serverUp ? "10" : "3", "bob@xsend.test", "disk", "full"];
        foreach (string arg in root ? ["--reuid=nobody", "--regid=nogroup", "--clear-groups", Path.Combine(AppContext.BaseDirectory, "xsend"), .. args] : args)
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = "/nonexistent";
        start.Environment["XSEND_OUTBOX__DIRECTORY"] = directory;
        using Process xsend = Process.Start(start)!;
        Task<string> stderr = xsend.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await xsend.WaitForExitAsync(limit.Token);
        string[] lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        if (serverUp)
        {
            Assert.True(xsend.ExitCode == 0, string.Join('\n', lines));
            Assert.StartsWith($"xsend: warning: cannot use the outbox {directory}: ", Assert.Single(lines));
        }
        else
        {
            Assert.Equal(73, xsend.ExitCode);
            Assert.Contains($"; the alert was NOT queued: cannot write to the outbox {directory}: ", Assert.Single(lines));
        }
        Assert.Empty(Directory.GetFileSystemEntries(directory));
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(directory);
        File.Delete(passwordFile);
        File.Delete(ca);
    }
}
