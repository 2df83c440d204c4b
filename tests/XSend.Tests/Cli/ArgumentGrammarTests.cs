using System.CommandLine;
using XSend.Cli.Commands;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// Every word after the recipient is message text, as with xsend.py: subcommands count only as
/// the first argument, and options end at the first operand (POSIX).
/// </summary>
public sealed class ArgumentGrammarTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static Command BuildTree() => CliHarness.CommandTree();

    /// <summary>Every subcommand name and every option name and alias in the built tree, so new ones are covered too.</summary>
    public static TheoryData<string> TreeWords() => new(TreeWordList());

    private static SortedSet<string> TreeWordList()
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(Command command)
        {
            foreach (Option option in command.Options)
            {
                words.Add(option.Name);
                words.UnionWith(option.Aliases);
            }
            foreach (Command subcommand in command.Subcommands)
            {
                words.Add(subcommand.Name);
                words.UnionWith(subcommand.Aliases);
                Walk(subcommand);
            }
        }
        Walk(BuildTree());
        return words;
    }

    [Fact]
    public void The_tree_words_include_every_kind()
    {
        SortedSet<string> words = TreeWordList();
        Assert.Contains("check", words);
        Assert.Contains("purge", words);
        Assert.Contains("-m", words);
        Assert.Contains("--timeout", words);
        Assert.Contains("--help", words);
        Assert.Contains("--version", words);
    }

    private async Task<(CliResult Result, List<(string To, string Body)> Sent)> SendAsync(string[] options, string[] operands)
    {
        await using FakeXmppServer server = RecipientsAndBodiesTests.Server(1);
        CliResult result = await _cli.RunAsync(
            ["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath, .. options, .. operands]);
        return (result, server.Conversation is null ? [] : RecipientsAndBodiesTests.Sent(server));
    }

    [Theory]
    [MemberData(nameof(TreeWords))]
    public async Task A_subcommand_or_option_name_in_the_text_is_text(string word)
    {
        // First text word, followed by a word it could take as its value, and again mid-text.
        (CliResult result, var sent) = await SendAsync([], ["bob@xsend.test", word, "low", "disk", word, "end"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("bob@xsend.test", $"{word} low disk {word} end")], sent);
        Assert.DoesNotContain("xsend: ", result.Stderr.Replace("xsend: warning: --password", ""));
    }

    [Theory]
    [InlineData(new[] { "bob@xsend.test", "disk", "check", "failed" }, "disk check failed")]
    [InlineData(new[] { "bob@xsend.test", "free", "memory", "-m", "low" }, "free memory -m low")]
    [InlineData(new[] { "bob@xsend.test", "load", "is", "-v", "high" }, "load is -v high")]
    [InlineData(new[] { "bob@xsend.test", "--", "-v", "is", "on" }, "-v is on")]
    [InlineData(new[] { "bob@xsend.test", "a", "--", "b" }, "a -- b")]
    [InlineData(new[] { "--", "bob@xsend.test", "--help" }, "--help")]
    [InlineData(new[] { "bob@xsend.test", "outbox", "man", "listen", "contact" }, "outbox man listen contact")]
    public async Task Words_after_the_recipient_arrive_exactly(string[] operands, string body)
    {
        (CliResult result, var sent) = await SendAsync([], operands);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("bob@xsend.test", body)], sent);
        Assert.DoesNotContain("connecting", result.Stderr); // -v in the text did not turn on narration
    }

    [Fact]
    public async Task With_to_the_first_word_may_be_a_subcommand_name()
    {
        (CliResult result, var sent) = await SendAsync(["--to", "bob@xsend.test"], ["check", "failed", "-v"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("bob@xsend.test", "check failed -v")], sent);
    }

    [Fact]
    public async Task With_message_every_operand_is_a_recipient_and_options_come_first()
    {
        (CliResult result, var sent) = await SendAsync(["-m", "--to is text here"], ["bob@xsend.test"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal([("bob@xsend.test", "--to is text here")], sent);
    }

    [Fact]
    public async Task A_subcommand_after_options_is_a_usage_error_that_says_where_it_goes()
    {
        CliResult result = await _cli.RunAsync(["-v", "check"]);

        Assert.Equal(64, result.ExitCode);
        Assert.Equal("xsend: 'check' is a subcommand, recognised only as the first argument: xsend check [options]", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData(new[] { "--wait-receipt", "bob@x", "hi" }, new[] { "--wait-receipt=30", "--", "bob@x", "hi" })]
    [InlineData(new[] { "--wait-receipt", "12", "bob@x", "hi" }, new[] { "--wait-receipt=12", "--", "bob@x", "hi" })]
    [InlineData(new[] { "--wait-receipt=5", "bob@x" }, new[] { "--wait-receipt=5", "--", "bob@x" })]
    [InlineData(new[] { "bob@x", "--wait-receipt" }, new[] { "--", "bob@x", "--wait-receipt" })]
    [InlineData(new[] { "-m", "-v", "bob@x" }, new[] { "-m=-v", "--", "bob@x" })]
    [InlineData(new[] { "--timeout:5", "bob@x", "-v" }, new[] { "--timeout:5", "--", "bob@x", "-v" })]
    [InlineData(new[] { "bob@x", "--", "-v" }, new[] { "--", "bob@x", "-v" })]
    [InlineData(new[] { "--", "bob@x", "--", "-v" }, new[] { "--", "bob@x", "-v" })]
    [InlineData(new[] { "listen", "--count", "2" }, new[] { "listen", "--count=2" })]
    [InlineData(new[] { "[suggest:8]", "xsend --ti" }, new[] { "[suggest:8]", "--", "xsend --ti" })]
    [InlineData(new[] { "bob@x", "[suggest]" }, new[] { "--", "bob@x", "[suggest]" })]
    [InlineData(new[] { "contact", "add", "a@x", "--json" }, new[] { "contact", "add", "--", "a@x", "--json" })]
    public void Arguments_are_normalized_to_the_grammar(string[] args, string[] expected) =>
        Assert.Equal(expected, XSendCommandLine.NormalizeArguments(BuildTree(), args).Arguments);

    [Theory]
    [InlineData("listen")]
    [InlineData("check")]
    [InlineData("outbox")]
    [InlineData("man")]
    public async Task Subcommand_help_shows_its_own_usage(string subcommand)
    {
        CliResult result = await _cli.RunAsync([subcommand, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches($@"Usage:\s+\S+ {subcommand} ", result.Stdout);
        Assert.DoesNotContain("<jid>", result.Stdout);
        Assert.DoesNotContain("<text>", result.Stdout);
    }

    [Fact]
    public async Task The_root_help_still_shows_the_send_arguments()
    {
        CliResult result = await _cli.RunAsync(["--help"]);

        Assert.Matches(@"Usage:\n  \S+ \[options\] \[<jid> \[<text>\.\.\.\]\]\n  \S+ <command> \[options\]\n", result.Stdout);
        Assert.Contains("<text>  The message.", result.Stdout);
    }

    [Fact]
    public async Task Subcommand_usage_puts_options_before_operands()
    {
        CliResult result = await _cli.RunAsync(["contact", "add", "--help"]);

        Assert.Matches(@"Usage:\n  \S+ contact add \[options\] <jid>\.\.\.\n", result.Stdout);
    }

    [Fact]
    public async Task Shell_completion_still_works()
    {
        CliResult result = await _cli.RunAsync(["[suggest:8]", "xsend --ti"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("--timeout", result.Stdout.Trim());
    }
}
