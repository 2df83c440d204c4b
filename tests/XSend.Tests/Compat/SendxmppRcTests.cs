using XSend.Cli.Compat;
using XSend.Cli.Failures;

namespace XSend.Tests.Compat;

/// <summary>The rc file as sendxmpp 1.24 reads it: both forms, comments, ports and hosts, its refusals.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SendxmppRcTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xsend-rc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Key_value_form()
    {
        SendxmppRc rc = SendxmppRc.Parse("# alerts\n\nusername: alice\njserver: xmpp.example.org\nport: 5299\npassword: s3cr et\ncomponent: example.org\ntls: 1\n", "rc");

        Assert.Equal(("alice", "xmpp.example.org", 5299, "s3cr et", "example.org", true), (rc.Username, rc.Jserver, rc.Port, rc.Password, rc.Component, rc.Tls));
    }

    [Fact]
    public void One_line_form_with_comment_and_crlf()
    {
        SendxmppRc rc = SendxmppRc.Parse("# my account\r\nalice@jabber.org  secret\r\n", "rc");

        Assert.Equal(("alice", "jabber.org", 0, "secret", null, false), (rc.Username, rc.Jserver, rc.Port, rc.Password, rc.Component, rc.Tls));
    }

    [Theory]
    [InlineData("alice@myjabberserver.com:1234 secret", "alice", "myjabberserver.com", 1234)]
    [InlineData("alice@myjabberserver.com;foo.com secret", "alice@myjabberserver.com", "foo.com", 0)]
    [InlineData("alice@myjabberserver.com;foo.com:1234 secret", "alice@myjabberserver.com", "foo.com", 1234)]
    [InlineData("ops#1@example.org secret", "ops#1", "example.org", 0)] // '#' in a user name (sendxmpp allows it)
    public void One_line_form_with_host_and_port_as_the_man_page_shows(string line, string user, string server, int port)
    {
        SendxmppRc rc = SendxmppRc.Parse(line + "\n", "rc");

        Assert.Equal((user, server, port), (rc.Username, rc.Jserver, rc.Port));
    }

    [Fact]
    public void One_line_form_takes_a_component()
    {
        SendxmppRc rc = SendxmppRc.Parse("lubomir@talk.google.com secret gmail.com\n", "rc");

        Assert.Equal(("lubomir", "talk.google.com", "gmail.com"), (rc.Username, rc.Jserver, rc.Component));
    }

    [Theory]
    [InlineData("just words\n", "syntax error in line 1 of rc")]
    [InlineData("# only a comment\n", "no correct config found in rc")]
    [InlineData("username: a\nport: 99999\n", "invalid port")]
    public void Refusals_are_configuration_errors(string text, string expected)
    {
        var error = Assert.Throws<CliException>(() => SendxmppRc.Parse(text, "rc"));

        Assert.Equal(ExitCodes.Config, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_others_can_read_is_refused_as_sendxmpp_does()
    {
        string path = Path.Combine(_dir, "sendxmpprc");
        File.WriteAllText(path, "alice@example.org secret\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var error = Assert.Throws<CliException>(() => SendxmppRc.Load(path));
        Assert.Equal(ExitCodes.Config, error.ExitCode);
        Assert.Contains("must not be accessible by others", error.Message, StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("secret", SendxmppRc.Load(path).Password);
    }

    [Fact]
    public void A_missing_or_oversized_file_is_one_configuration_error()
    {
        Assert.Equal(ExitCodes.Config, Assert.Throws<CliException>(() => SendxmppRc.Load(Path.Combine(_dir, "none"))).ExitCode);
        string big = Path.Combine(_dir, "big");
        File.WriteAllText(big, new string('#', SendxmppRc.MaxBytes + 1));
        File.SetUnixFileMode(big, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Contains("limit", Assert.Throws<CliException>(() => SendxmppRc.Load(big)).Message, StringComparison.Ordinal);
    }
}
