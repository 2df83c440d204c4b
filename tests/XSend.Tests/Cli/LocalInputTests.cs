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

    private string[] Account => ["--jid", "a@example.org", "--password-file", _cli.WriteFile("pw", "x\n")];

    [Theory]
    [InlineData("--timeout", "NaN")]
    [InlineData("--timeout", "Infinity")]
    [InlineData("--timeout", "-Infinity")]
    [InlineData("--wait-receipt", "NaN")]
    public async Task A_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(string option, string value)
    {
        CliResult result = await _cli.RunAsync([.. Account, option, value, "bob@example.org", "hi"]);
        AssertOneLine(result, 64, $"xsend: {option} must be more than 0 and at most 3600 seconds, not '{value}'");
    }

    [Theory]
    [InlineData("listen")]
    [InlineData("check")]
    public async Task NaN_timeout_on_subcommands_is_a_usage_error(string subcommand)
    {
        CliResult result = await _cli.RunAsync([subcommand, .. Account, "--timeout", "NaN"]);
        AssertOneLine(result, 64, "xsend: --timeout must be more than 0 and at most 3600 seconds, not 'NaN'");
    }

    [Fact]
    public async Task Message_file_of_endless_zeros_is_refused_at_the_limit()
    {
        CliResult result = await _cli.RunAsync([.. Account, "--file", "/dev/zero", "bob@example.org"]);
        AssertOneLine(result, 65, "xsend: the message file /dev/zero is larger than the 1048576-byte limit");
    }

    [Fact]
    public async Task Line_mode_file_of_endless_random_bytes_is_refused_at_the_limit()
    {
        CliResult result = await _cli.RunAsync([.. Account, "--line-mode", "--file", "/dev/urandom", "bob@example.org"]);
        AssertOneLine(result, 65, "xsend: the message file /dev/urandom is larger than the 16777216-byte limit");
    }

    [Fact]
    public async Task Message_file_that_is_a_directory_says_so()
    {
        CliResult result = await _cli.RunAsync([.. Account, "--file", _cli.Home, "bob@example.org"]);
        AssertOneLine(result, 64, $"xsend: cannot read the message file {_cli.Home}: it is a directory");
    }

    [Fact]
    public async Task Password_file_of_endless_zeros_is_a_config_error()
    {
        CliResult result = await _cli.RunAsync(["--jid", "a@example.org", "--password-file", "/dev/zero", "bob@example.org", "hi"]);
        AssertOneLine(result, 78, "xsend: invalid option --password-file: cannot read /dev/zero: it is larger than the 65536-byte limit");
    }

    [Fact]
    public async Task Ca_file_of_endless_zeros_is_a_config_error()
    {
        CliResult result = await _cli.RunAsync([.. Account, "--ca-file", "/dev/zero", "bob@example.org", "hi"]);
        AssertOneLine(result, 78, "xsend: invalid option --ca-file: cannot load /dev/zero: it is larger than the 4194304-byte limit");
    }

    [Fact]
    public async Task Config_file_of_endless_zeros_is_a_config_error()
    {
        CliResult result = await _cli.RunAsync(["--config", "/dev/zero", "bob@example.org", "hi"]);
        AssertOneLine(result, 78, "xsend: cannot read config file /dev/zero: it is larger than the 1048576-byte limit");
    }

    [Fact]
    public async Task Message_fifo_without_a_writer_ends_at_the_deadline()
    {
        CliResult result = await _cli.RunAsync([.. Account, "--timeout", "1", "--file", Fifo(), "bob@example.org"]);
        AssertOneLine(result, 64, $"xsend: cannot read the message file {_fifos[0]}: nothing came before the deadline: is it a FIFO with no writer?");
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Password_fifo_without_a_writer_ends_at_the_deadline()
    {
        CliResult result = await _cli.RunAsync(["--jid", "a@example.org", "--timeout", "1", "--password-file", Fifo(), "bob@example.org", "hi"]);
        AssertOneLine(result, 78, $"xsend: invalid option --password-file: cannot read {_fifos[0]}: nothing came before the deadline");
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Config_fifo_without_a_writer_ends_at_the_deadline()
    {
        CliResult result = await _cli.RunAsync(["--timeout", "1", "--config", Fifo(), "bob@example.org", "hi"]);
        AssertOneLine(result, 78, $"xsend: cannot read config file {_fifos[0]}: nothing came before the deadline");
        Assert.InRange(result.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task A_password_fifo_with_a_writer_is_read()
    {
        // Process substitution (--password-file <(pass show alerts)) is a FIFO-like pipe: it must keep working.
        string fifo = Fifo();
        Task writer = Task.Run(() => File.WriteAllText(fifo, "from-a-pipe\n"));
        CliResult result = await _cli.RunAsync(["--jid", "a@example.org", "--timeout", "2", "--password-file", fifo, "--no-outbox", "bob@example.org", "hi"]);
        await writer.WaitAsync(TimeSpan.FromSeconds(5));
        _fifos.Clear();
        Assert.Equal(69, result.ExitCode); // got as far as connecting (refused by 127.0.0.1:1)
    }
}
