using XSend.Cli.Commands;
using XSend.Cli.Compat;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Tests.Cli;
using XSend.Xmpp;

namespace XSend.Tests.Compat;

/// <summary>
/// How a sendxmpp command line and rc file become xsend's send: the account, the server, rooms,
/// TLS, and the notes printed where xsend does something else.
/// </summary>
public sealed class SendxmppTranslationTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly StringWriter _stderr = new();

    public void Dispose() => _cli.Dispose();

    private SendRequest Translate(params string[] args) =>
        SendxmppCompat.ToSendRequest(SendxmppCommandLine.Parse(args), _cli.Environment(stdinIsTerminal: false), _stderr);

    private static string? Setting(SendRequest request, string key) =>
        request.Connection.SettingOverrides.TryGetValue(key, out (string Value, string Option) setting) ? setting.Value : null;

    [Fact]
    public void Command_line_account_with_server_and_port()
    {
        SendRequest request = Translate("-t", "-u", "alice", "-p", "pw", "-j", "xmpp.example.org:5299", "bob@example.org");

        Assert.Equal("alice@xmpp.example.org", Setting(request, ConfigKeys.Jid));
        Assert.Equal("pw", Setting(request, ConfigKeys.Password));
        Assert.Equal("xmpp.example.org:5299", Setting(request, ConfigKeys.Server));
        Assert.Equal(["bob@example.org"], request.Recipients);
        Assert.Equal(MessageType.Chat, request.Type);
        Assert.False(request.LineMode);
        Assert.Null(request.File);
        // -p is warned about (ps), -t silences the TLS note.
        Assert.Equal(["xsend: warning: -p is visible to other users in ps and shell history; prefer the rc file ("
            + Path.Combine(_cli.Home, ".sendxmpprc") + ", mode 600)"], _stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Rc_file_in_home_gives_the_account_and_the_note_says_tls_is_used_anyway()
    {
        _cli.WriteFile(".sendxmpprc", "# ops\nalice@example.org secret\n");

        SendRequest request = Translate("-s", "disk", "bob@example.org");

        Assert.Equal("alice@example.org", Setting(request, ConfigKeys.Jid));
        Assert.Equal("secret", Setting(request, ConfigKeys.Password));
        Assert.Null(Setting(request, ConfigKeys.Server)); // the domain itself: SRV, then 5222
        Assert.Equal("disk", request.Subject);
        Assert.Contains("xsend: note: sendxmpp without -t or -e logged in unencrypted; xsend always uses TLS", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Username_and_password_on_the_command_line_skip_the_rc_file_as_sendxmpp_does()
    {
        _cli.WriteFile(".sendxmpprc", "this is not an rc file\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        SendRequest request = Translate("-t", "-u", "alice@example.org", "-p", "pw", "bob@example.org");

        Assert.Equal("alice@example.org", Setting(request, ConfigKeys.Jid));
        Assert.Null(Setting(request, ConfigKeys.Server));
    }

    [Fact]
    public void Rc_file_named_with_f_in_key_value_form_with_a_component()
    {
        string rc = _cli.WriteFile("alerts.rc", "username: lubomir\njserver: talk.google.com\npassword: pw\ncomponent: gmail.com\ntls: 1\n");

        SendRequest request = Translate("-f", rc, "bob", "carol@example.org");

        Assert.Equal("lubomir@gmail.com", Setting(request, ConfigKeys.Jid));
        Assert.Equal("talk.google.com", Setting(request, ConfigKeys.Server));
        Assert.Equal(["bob@gmail.com", "carol@example.org"], request.Recipients); // the component qualifies bare names
        Assert.Equal("", _stderr.ToString()); // tls: 1 in the rc file silences the note
    }

    [Fact]
    public void A_missing_rc_file_named_with_f_is_a_configuration_error()
    {
        var error = Assert.Throws<CliException>(() => Translate("-t", "-f", Path.Combine(_cli.Home, "none"), "bob@example.org"));
        Assert.Equal(ExitCodes.Config, error.ExitCode);
    }

    [Fact]
    public void Chatroom_uses_the_resource_as_nickname_default_sendxmpp()
    {
        SendRequest named = Translate("-t", "-u", "a@x.org", "-p", "pw", "-c", "-r", "TheCook", "ops@conference.x.org");
        SendRequest unnamed = Translate("-t", "-u", "a@x.org", "-p", "pw", "--chatroom", "ops@conference.x.org");

        Assert.Equal((string[])[], named.Recipients);
        Assert.Equal(["ops@conference.x.org"], named.Rooms);
        Assert.Equal("TheCook", named.Nick);
        Assert.Null(Setting(named, ConfigKeys.ResourcePrefix));
        Assert.Equal("sendxmpp", unnamed.Nick);
    }

    [Fact]
    public void Resource_outside_rooms_is_the_resource_prefix()
    {
        Assert.Equal("cron", Setting(Translate("-t", "-u", "a@x.org", "-p", "pw", "-r", "cron", "bob@x.org"), ConfigKeys.ResourcePrefix));
    }

    [Fact]
    public void Ssl_is_direct_tls_on_5223_unless_a_port_is_given()
    {
        SendRequest byDomain = Translate("-e", "-u", "a@x.org", "-p", "pw", "bob@x.org");
        SendRequest byHost = Translate("-e", "-u", "a", "-p", "pw", "-j", "x.org:443", "bob@x.org");

        Assert.Equal(("x.org:5223", "true"), (Setting(byDomain, ConfigKeys.Server), Setting(byDomain, ConfigKeys.DirectTls)));
        Assert.Equal("x.org:443", Setting(byHost, ConfigKeys.Server));
        Assert.DoesNotContain("note:", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_tls_verify_is_xsend_insecure_and_a_ca_file_is_trusted()
    {
        string ca = _cli.WriteFile("ca.pem", "-----BEGIN CERTIFICATE-----\n");

        Assert.True(Translate("-t", "-n", "-u", "a@x.org", "-p", "pw", "bob@x.org").Connection.Insecure);
        SendRequest withCa = Translate("-t", "-a", ca, "-u", "a@x.org", "-p", "pw", "bob@x.org");
        Assert.Equal(ca, Setting(withCa, ConfigKeys.CaFile));
        Assert.False(withCa.Connection.Insecure);
    }

    [Fact]
    public void A_ca_directory_other_than_the_system_store_is_refused_with_a_line_saying_what_to_give()
    {
        Translate("-t", "-a", "/etc/ssl/certs/", "-u", "a@x.org", "-p", "pw", "bob@x.org"); // the system store: trusted already

        var error = Assert.Throws<CliException>(() => Translate("-t", "-a", _cli.Home, "-u", "a@x.org", "-p", "pw", "bob@x.org"));
        Assert.Equal(ExitCodes.Config, error.ExitCode);
        Assert.Contains("one PEM file, not a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_file_interactive_and_headline_map_onto_the_send()
    {
        Assert.Equal("/tmp/msg", Translate("-t", "-u", "a@x.org", "-p", "pw", "-m", "/tmp/msg", "bob@x.org").File);
        Assert.True(Translate("-t", "-u", "a@x.org", "-p", "pw", "-i", "bob@x.org").LineMode);
        Assert.Equal(MessageType.Headline, Translate("-t", "-u", "a@x.org", "-p", "pw", "-l", "bob@x.org").Type);
    }

    [Fact]
    public void A_user_name_without_any_server_is_a_configuration_error()
    {
        var error = Assert.Throws<CliException>(() => Translate("-t", "-u", "alice", "-p", "pw", "bob@x.org"));
        Assert.Equal(ExitCodes.Config, error.ExitCode);
    }

    [Fact]
    public async Task Through_the_entry_point_help_version_no_arguments_and_no_recipient()
    {
        CliResult help = await _cli.RunAsync(["sendxmpp-compat", "--help"]);
        CliResult version = await _cli.RunAsync(["sendxmpp-compat", "-V"]);
        CliResult none = await _cli.RunAsync(["sendxmpp-compat"]);
        CliResult noRecipient = await _cli.RunAsync(["sendxmpp-compat", "-t", "-u", "a@x.org", "-p", "pw"], "text");

        Assert.Equal((0, ""), (help.ExitCode, help.Stdout));
        Assert.StartsWith("usage: sendxmpp [options]", help.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, version.ExitCode);
        Assert.Contains("sendxmpp 1.24 compatible", version.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Equal(ExitCodes.Usage, noRecipient.ExitCode);
        Assert.Equal(["xsend: no recipient: sendxmpp [options] <recipient1> [<recipient2> ...] (see 'sendxmpp --help')"], noRecipient.ErrorLines);
    }

    [Fact]
    public async Task A_terminal_on_stdin_without_m_is_a_usage_error_in_sendxmpp_terms()
    {
        CliResult result = await _cli.RunAsync(["sendxmpp-compat", "-t", "-u", "a@x.org", "-p", "pw", "bob@x.org"]); // stdin a terminal

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(["xsend: no message: pipe it on stdin, or give -m FILE (see 'sendxmpp --help')"], result.ErrorLines);
    }

    [Fact]
    public async Task A_bad_option_through_the_entry_point_is_one_line_and_exit_64()
    {
        CliResult result = await _cli.RunAsync(["sendxmpp-compat", "-t", "--raw", "bob@x.org"], "x");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Single(result.ErrorLines);
        Assert.StartsWith("xsend: -w/--raw (raw XML) is not supported", result.ErrorLines[0], StringComparison.Ordinal);
    }
}
