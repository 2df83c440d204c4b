using System.Diagnostics;

namespace XSend.Tests.Cli;

/// <summary>
/// Careless local input: NaN timeouts, devices, directories and FIFOs named as files. Each gives
/// one line and a documented code, within the deadline, never a crash or a hang.
/// </summary>
public sealed class LocalInputTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly List<string> _fifos = [];

    public LocalInputTests()
    {
        _cli.Variables["XSEND_ACCOUNT__SERVER"] = "127.0.0.1:1"; // never leave loopback, even by mistake
        _cli.Variables["XSEND_ACCOUNT__JID"] = "a@example.org";
        _cli.Variables["XSEND_ACCOUNT__PASSWORD"] = "x"; // a --password-file on the command line wins
    }

    public void Dispose()
    {
        // Let a read abandoned at the deadline finish: a writer ends the reader's open(2).
        foreach (string fifo in _fifos)
        {
            try
            {
                Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose()).Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
            }
        }
        _cli.Dispose();
    }

    private string Fifo()
    {
        string path = Path.Combine(_cli.Home, $"fifo-{_fifos.Count}");
        using Process mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit(10_000);
        Assert.Equal(0, mkfifo.ExitCode);
        _fifos.Add(path);
        return path;
    }

    private static void AssertOneLine(CliResult result, int code, string start)
    {
        Assert.Equal(code, result.ExitCode);
        Assert.StartsWith(start, Assert.Single(result.ErrorLines));
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Theory]
    [InlineData("--timeout", "NaN")]
    [InlineData("--timeout", "Infinity")]
    [InlineData("--timeout", "-Infinity")]
    [InlineData("--wait-receipt", "NaN")]
    public async Task A_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(string option, string value)
    {
        CliResult result = await _cli.RunAsync([option, value, "bob@example.org", "hi"]);
        AssertOneLine(result, 64, $"xsend: {option} must be more than 0 and at most 3600 seconds, not '{value}'");
    }

    [Theory]
    [InlineData("listen")]
    [InlineData("check")]
    public async Task NaN_timeout_on_subcommands_is_a_usage_error(string subcommand)
    {
        CliResult result = await _cli.RunAsync([subcommand, "--timeout", "NaN"]);
        AssertOneLine(result, 64, "xsend: --timeout must be more than 0 and at most 3600 seconds, not 'NaN'");
    }

    /// <summary>{home} stands for a directory.</summary>
    [Theory]
    [InlineData(new[] { "--file", "/dev/zero", "bob@example.org" }, 65, "xsend: the message file /dev/zero is larger than the 1048576-byte limit")]
    [InlineData(new[] { "--line-mode", "--file", "/dev/urandom", "bob@example.org" }, 65, "xsend: the message file /dev/urandom is larger than the 16777216-byte limit")]
    [InlineData(new[] { "--file", "{home}", "bob@example.org" }, 64, "xsend: cannot read the message file {home}: it is a directory")]
    [InlineData(new[] { "--password-file", "/dev/zero", "bob@example.org", "hi" }, 78, "xsend: invalid option --password-file: cannot read /dev/zero: it is larger than the 65536-byte limit")]
    [InlineData(new[] { "--password-file", "{home}", "bob@example.org", "hi" }, 78, "xsend: invalid option --password-file: cannot read {home}: it is a directory")]
    [InlineData(new[] { "--ca-file", "/dev/zero", "bob@example.org", "hi" }, 78, "xsend: invalid option --ca-file: cannot load /dev/zero: it is larger than the 4194304-byte limit")]
    [InlineData(new[] { "--config", "/dev/zero", "bob@example.org", "hi" }, 78, "xsend: cannot read config file /dev/zero: it is larger than the 1048576-byte limit")]
    public async Task Devices_and_directories_as_files_give_one_line(string[] args, int code, string line)
    {
        CliResult result = await _cli.RunAsync([.. args.Select(a => a.Replace("{home}", _cli.Home))]);
        AssertOneLine(result, code, line.Replace("{home}", _cli.Home));
    }

    /// <summary>{fifo} stands for a FIFO that no one writes to.</summary>
    [Theory]
    [InlineData(new[] { "--file", "{fifo}", "bob@example.org" }, 64, "xsend: cannot read the message file {fifo}: nothing came before the deadline: is it a FIFO with no writer?")]
    [InlineData(new[] { "--password-file", "{fifo}", "bob@example.org", "hi" }, 78, "xsend: invalid option --password-file: cannot read {fifo}: nothing came before the deadline")]
    [InlineData(new[] { "--config", "{fifo}", "bob@example.org", "hi" }, 78, "xsend: cannot read config file {fifo}: nothing came before the deadline")]
    public async Task A_fifo_without_a_writer_ends_at_the_deadline(string[] args, int code, string line)
    {
        string fifo = Fifo();
        CliResult result = await _cli.RunAsync(["--timeout", "1", .. args.Select(a => a.Replace("{fifo}", fifo))]);
        AssertOneLine(result, code, line.Replace("{fifo}", fifo));
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8)); // ends at the deadline, not never: room for a loaded machine
    }

    [Fact]
    public async Task A_password_fifo_with_a_writer_is_read()
    {
        // Process substitution (--password-file <(pass show alerts)) is a FIFO-like pipe: it must keep working.
        string fifo = Fifo();
        Task writer = Task.Run(() => File.WriteAllText(fifo, "from-a-pipe\n"));
        CliResult result = await _cli.RunAsync(["--timeout", "2", "--password-file", fifo, "--no-outbox", "bob@example.org", "hi"]);
        await writer.WaitAsync(TimeSpan.FromSeconds(5));
        _fifos.Clear();
        Assert.Equal(69, result.ExitCode); // got as far as connecting (refused by 127.0.0.1:1)
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("1.5")]
    [InlineData("0x1")]
    [InlineData("99999999999")]
    [InlineData("0")]
    public async Task A_count_that_is_not_a_whole_number_is_one_usage_line(string count)
    {
        CliResult result = await _cli.RunAsync(["listen", "--count", count, "--jid", "a@example.org", "--password", "x"]);

        Assert.Equal(64, result.ExitCode);
        Assert.Equal($"xsend: --count must be a whole number of messages, at least 1, not '{count}' (see 'xsend --help')", Assert.Single(result.ErrorLines));
    }
}
