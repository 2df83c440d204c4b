using System.Text;

namespace XSend.Tests.Cli;

/// <summary>Arguments, message bodies, help and version.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public CommandLineTests()
    {
        _cli.Variables["XSEND_ACCOUNT__JID"] = "alice@example.org";
        _cli.Variables["XSEND_ACCOUNT__PASSWORD"] = "pw";
        _cli.Variables["XSEND_ACCOUNT__SERVER"] = "127.0.0.1:1"; // never leave loopback, even by mistake
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Missing_recipient_is_a_one_line_usage_error()
    {
        CliResult result = await _cli.RunAsync([]);
        Assert.Equal(64, result.ExitCode);
        Assert.Equal("xsend: no recipient: give one or more JIDs, or --to JID (see 'xsend --help')", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        CliResult result = await _cli.RunAsync(["--bogus", "bob@example.org", "hi"]);
        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--bogus", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("soon")]
    public async Task Bad_timeout_is_a_usage_error(string timeout)
    {
        CliResult result = await _cli.RunAsync(["--timeout", timeout, "bob@example.org", "hi"]);
        Assert.Equal(64, result.ExitCode);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public async Task No_text_on_a_terminal_is_a_usage_error()
    {
        CliResult result = await _cli.RunAsync(["bob@example.org"]);
        Assert.Equal(64, result.ExitCode);
        Assert.Equal("xsend: no message text: give it after the recipient, or pipe it on stdin", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("   \t ")]
    public async Task Empty_stdin_is_a_usage_error(string stdin)
    {
        CliResult result = await _cli.RunAsync(["bob@example.org"], stdin);
        Assert.Equal(64, result.ExitCode);
        Assert.Equal("xsend: the message is empty", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Invalid_utf8_on_stdin_is_bad_data()
    {
        CliResult result = await _cli.RunAsync(["bob@example.org"], [0x61, 0x62, 0xC3, 0x28, 0x0A]);
        Assert.Equal(65, result.ExitCode);
        Assert.Equal("xsend: the message on stdin is not valid UTF-8 at byte 2", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Oversized_stdin_is_bad_data()
    {
        CliResult result = await _cli.RunAsync(["bob@example.org"], new string('x', 2 * 1024 * 1024));
        Assert.Equal(65, result.ExitCode);
        Assert.Contains("larger than the 1048576-byte limit", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Body_of_only_forbidden_characters_is_bad_data()
    {
        CliResult result = await _cli.RunAsync(["bob@example.org"], "\u0001\u0002\u0003");
        Assert.Equal(65, result.ExitCode);
    }

    [Theory]
    [InlineData("bob@")]
    [InlineData("bo b@example.org")]
    [InlineData("@example.org")]
    public async Task Invalid_recipient_is_bad_data(string recipient)
    {
        CliResult result = await _cli.RunAsync([recipient, "hi"]);
        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith($"xsend: invalid recipient '{recipient}':", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Help_shows_examples_and_every_exit_code()
    {
        CliResult result = await _cli.RunAsync(["--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("xsend ops@example.org \"报警 磁盘满\"", result.Stdout);
        Assert.Contains("df -h | xsend ops@example.org", result.Stdout);
        foreach (int code in new[] { 0, 64, 65, 68, 69, 70, 73, 75, 76, 77, 78, 79, 80, 81 })
            Assert.Matches($"(?m)^  {code} +\\S", result.Stdout);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        CliResult result = await _cli.RunAsync(["--version"]);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("0.1.0", result.Stdout);
    }
}
