using XSend.Cli.Compat;
using XSend.Cli.Failures;

namespace XSend.Tests.Compat;

/// <summary>sendxmpp 1.24's Getopt::Long grammar: permuted options, abbreviations, case, '=' values, and its own refusals.</summary>
public sealed class SendxmppCommandLineTests
{
    [Fact]
    public void Options_may_follow_recipients_and_take_the_next_word_as_value()
    {
        SendxmppOptions o = SendxmppCommandLine.Parse(["bob@x", "-t", "-u", "alice", "carol@x", "-p", "-secret", "-s", "disk full", "-j", "host.example:5299"]);

        Assert.Equal(["bob@x", "carol@x"], o.Recipients);
        Assert.True(o.Tls);
        Assert.Equal("alice", o.Username);
        Assert.Equal("-secret", o.Password); // a value is the next word, whatever it looks like
        Assert.Equal("disk full", o.Subject);
        Assert.Equal(("host.example", 5299), (o.Jserver, o.Port));
    }

    [Fact]
    public void Long_names_take_one_or_two_dashes_an_equals_sign_any_case_and_unique_abbreviations()
    {
        SendxmppOptions o = SendxmppCommandLine.Parse(["-username=alice", "--PASSWORD", "pw", "--jserv", "h", "--inter", "--chatroom", "--resource=Bot", "room@conf"]);

        Assert.Equal(("alice", "pw", "h", 0), (o.Username, o.Password, o.Jserver, o.Port));
        Assert.True(o.Interactive);
        Assert.True(o.Chatroom);
        Assert.Equal("Bot", o.Resource);
    }

    [Fact]
    public void Capital_V_is_the_version_and_small_v_verbose()
    {
        Assert.True(SendxmppCommandLine.Parse(["-V"]).Version);
        SendxmppOptions verbose = SendxmppCommandLine.Parse(["-v", "bob@x"]);
        Assert.True(verbose.Verbose);
        Assert.False(verbose.Version);
    }

    [Fact]
    public void Double_dash_ends_the_options()
    {
        SendxmppOptions o = SendxmppCommandLine.Parse(["-t", "--", "-odd@x", "-v"]);

        Assert.Equal(["-odd@x", "-v"], o.Recipients);
        Assert.False(o.Verbose);
    }

    [Theory]
    [InlineData(new[] { "-l", "bob@x" }, "headline")]
    [InlineData(new[] { "--message-type", "normal", "bob@x" }, "normal")]
    [InlineData(new[] { "--messages-type=headline", "bob@x" }, "headline")] // the man page's spelling
    [InlineData(new[] { "--message-type=chat", "-l", "bob@x" }, "headline")] // as sendxmpp: chat + --headline is headline
    [InlineData(new[] { "bob@x" }, "chat")]
    public void Message_type_follows_sendxmpp(string[] args, string type) =>
        Assert.Equal(type, SendxmppCommandLine.Parse(args).MessageType);

    [Fact]
    public void Debug_takes_an_optional_level_and_leaves_a_recipient_alone()
    {
        SendxmppOptions o = SendxmppCommandLine.Parse(["-d", "2", "bob@x", "-d", "carol@x"]);

        Assert.True(o.Debug);
        Assert.Equal(["bob@x", "carol@x"], o.Recipients);
    }

    [Theory]
    [InlineData(new[] { "-w", "bob@x" }, "--raw")]
    [InlineData(new[] { "--sso", "bob@x" }, "--sso")]
    [InlineData(new[] { "-m", "f", "-i", "bob@x" }, "both -m")]
    [InlineData(new[] { "-t", "-e", "bob@x" }, "-e (--ssl) or -t")]
    [InlineData(new[] { "--message-type", "groupchat", "bob@x" }, "not supported")]
    [InlineData(new[] { "--message-type", "message", "bob@x" }, "unsupported message type 'message'")]
    [InlineData(new[] { "--message-type", "normal", "-l", "bob@x" }, "mutually exclusive")]
    [InlineData(new[] { "--bogus", "bob@x" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--me", "x", "bob@x" }, "ambiguous")]
    [InlineData(new[] { "bob@x", "-u" }, "requires a value")]
    [InlineData(new[] { "-t=1", "bob@x" }, "does not take a value")]
    [InlineData(new[] { "-j", "host:0", "bob@x" }, "invalid port")]
    public void Refusals_are_usage_errors_naming_the_problem(string[] args, string expected)
    {
        var error = Assert.Throws<CliException>(() => SendxmppCommandLine.Parse(args));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
