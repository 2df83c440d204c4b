using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>
/// The room password has the account password's sources (option, file, config, environment) and
/// its ps warning, and --debug never shows it, nor any other secret of the session.
/// </summary>
public sealed class RoomPasswordTests : IDisposable
{
    private const string Room = "ops@conference.xsend.test";
    private const string RoomSecret = "r00m-S3cr3t";
    private const string AccountPassword = "acc0unt-Pa55";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private static FakeXmppServer RoomServer() => new(async s =>
    {
        await Conversation.EstablishSessionAsync(s, AccountPassword);
        await s.ExpectAsync($"<presence to='{Room}/alice'><x xmlns='http://jabber.org/protocol/muc'><password>{{roomPassword}}</password><history maxstanzas='0'/></x></presence>");
        await s.SendAsync($"<presence from='{Room}/alice'><x xmlns='http://jabber.org/protocol/muc#user'><item role='participant'/><status code='110'/></x></presence>");
        await s.ExpectAsync($"*<message type='groupchat' id='{{id}}' to='{Room}'>*</message>");
        await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
        await s.SendAsync($"<message type='groupchat' id='{{id}}' from='{Room}/alice'><body>disk full</body></message><a xmlns='urn:xmpp:sm:3' h='2'/>");
        await s.ExpectAsync("*</stream:stream>");
    });

    private async Task<(CliResult Result, string SentPassword)> PostAsync(params string[] roomOptions)
    {
        await using FakeXmppServer server = RoomServer();
        string passwordFile = _cli.WriteFile("password", AccountPassword);
        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password-file", passwordFile, "--server", server.Endpoint,
            "--ca-file", TestCertificates.CaPemPath, "--timeout", "5", "--no-outbox", "--room", Room, .. roomOptions, "disk", "full"]);
        await server.CompletionAsync();
        Assert.True(result.ExitCode == 0, result.Stderr + server.ScriptFailure);
        return (result, server.Conversation!.Captures["roomPassword"]);
    }

    [Fact]
    public async Task On_the_command_line_it_is_sent_warned_about_and_never_in_the_debug_log()
    {
        (CliResult result, string sent) = await PostAsync("--debug", "--room-password", RoomSecret);

        Assert.Equal(RoomSecret, sent);
        Assert.Contains("xsend: warning: --room-password is visible to other users in ps and shell history; "
            + "prefer --room-password-file or XSEND_ROOMS__PASSWORD", result.Stderr);
        Assert.Contains("C: <presence to=\"ops@conference.xsend.test/alice\"><x xmlns=\"http://jabber.org/protocol/muc\"><password>[redacted]</password>", result.Stderr);
        Assert.DoesNotContain(RoomSecret, result.Stderr);
        Assert.DoesNotContain(AccountPassword, result.Stderr);
        // The SCRAM exchange is there, its payloads are not.
        Assert.Contains("mechanism=\"SCRAM-SHA-1\">[redacted]</auth>", result.Stderr);
        Assert.Contains("<challenge xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">[redacted]</challenge>", result.Stderr);
        Assert.DoesNotContain("r=", result.Stderr.Replace("error=", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task From_a_file_without_a_warning()
    {
        string file = _cli.WriteFile("room-password", RoomSecret + "\n");

        (CliResult result, string sent) = await PostAsync("--room-password-file", file);

        Assert.Equal(RoomSecret, sent);
        Assert.DoesNotContain("warning", result.Stderr);
    }

    [Fact]
    public async Task From_the_environment()
    {
        _cli.Variables["XSEND_ROOMS__PASSWORD"] = RoomSecret;

        (_, string sent) = await PostAsync();

        Assert.Equal(RoomSecret, sent);
    }

    [Fact]
    public async Task From_a_config_files_password_file_relative_to_the_config()
    {
        _cli.WriteFile("conf/room.secret", RoomSecret);
        string config = _cli.WriteFile("conf/xsend.json", "{ \"Rooms\": { \"PasswordFile\": \"room.secret\", \"Password\": \"\" } }");

        (_, string sent) = await PostAsync("--config", config);

        Assert.Equal(RoomSecret, sent);
    }

    [Fact]
    public async Task An_unreadable_room_password_file_is_a_config_error_naming_the_key()
    {
        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "x", "--server", "127.0.0.1:1", "--timeout", "2",
            "--room", Room, "--room-password-file", Path.Combine(_cli.Home, "missing"), "hi"]);

        Assert.Equal(78, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("--room-password-file", line);
        Assert.Contains("cannot read", line);
    }
}
