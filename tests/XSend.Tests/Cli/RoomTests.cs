using XSend.Tests.Client;
using XSend.Tests.Fakes;

namespace XSend.Tests.Cli;

/// <summary>Chatrooms on the wire: a confirmed join, a reflected message, a leave, and every refusal in words.</summary>
public sealed class RoomTests : IDisposable
{
    private const string Room = "ops@conference.xsend.test";
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private Task<CliResult> SendAsync(FakeXmppServer server, params string[] extra) =>
        _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath,
            "--timeout", "5", "--room", Room, .. extra, "disk", "full"]);

    private static string JoinPattern(string nick) =>
        $"<presence to='{Room}/{nick}'><x xmlns='http://jabber.org/protocol/muc'>*<history maxstanzas='0'/></x></presence>";

    private static string SelfPresence(string nick, string codes = "<status code='110'/>") =>
        $"<presence from='{Room}/{nick}'><x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/>{codes}</x></presence>";

    private static string JoinError(string nick, string condition, string type = "auth") =>
        $"<presence from='{Room}/{nick}' type='error'><error type='{type}'><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>";

    [Fact]
    public async Task Join_is_confirmed_then_the_message_is_reflected_then_the_room_is_left()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(JoinPattern("alice"));
            await s.SendAsync($"<presence from='{Room}/bob'><x xmlns='http://jabber.org/protocol/muc#user'><item role='participant'/></x></presence>");
            await s.SendAsync(SelfPresence("alice"));
            await s.ExpectAsync($"*<message type='groupchat' id='{{id}}' to='{Room}'><body>disk full</body>*</message>");
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync($"<message type='groupchat' id='{{id}}' from='{Room}/alice'><body>disk full</body></message><a xmlns='urn:xmpp:sm:3' h='2'/>");
            await s.ExpectAsync($"*<presence type='unavailable' to='{Room}/alice'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await SendAsync(server);

        Assert.True(result.ExitCode == 0, result.Stderr);
        await server.CompletionAsync();
        Assert.Null(server.ScriptFailure);
    }

    [Fact]
    public async Task A_room_that_never_reflects_the_message_times_out_naming_that_step()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(JoinPattern("alice"));
            await s.SendAsync(SelfPresence("alice"));
            await s.ExpectAsync("*<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='2'/>");
            await Task.Delay(TimeSpan.FromSeconds(10));
        });

        CliResult result = await SendAsync(server, "--no-outbox");

        Assert.Equal(75, result.ExitCode);
        Assert.Contains("waiting for the room to deliver the message", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task A_nick_in_use_is_retried_once_with_a_suffix()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(JoinPattern("alice"));
            await s.SendAsync(JoinError("alice", "conflict", "cancel"));
            await s.ExpectAsync($"<presence to='{Room}/alice-{{suffix}}'>*</presence>");
            await s.SendAsync(SelfPresence("alice-{suffix}"));
            await s.ExpectAsync("*<message type='groupchat' id='{id}'*</message>");
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync($"<message type='groupchat' id='{{id}}' from='{Room}/alice-{{suffix}}'><body>disk full</body></message><a xmlns='urn:xmpp:sm:3' h='3'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await SendAsync(server);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Matches("^[0-9a-f]{4}$", server.Conversation!.Captures["suffix"]);
    }

    [Theory]
    [InlineData("registration-required", "auth", 77, "the room is members-only and this account is not a member")]
    [InlineData("not-authorized", "auth", 77, "the room needs a password, or --room-password is wrong")]
    [InlineData("forbidden", "auth", 77, "this account is banned from the room")]
    [InlineData("item-not-found", "cancel", 69, "the room does not exist")]
    public async Task Each_refusal_has_its_own_message_and_code(string condition, string type, int code, string words)
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(JoinPattern("alice"));
            await s.SendAsync(JoinError("alice", condition, type));
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(code, result.ExitCode);
        Assert.Equal($"xsend: cannot join room {Room}: {words}", Assert.Single(result.ErrorLines));
        Assert.Empty(_cli.QueuedAlerts);
    }

    [Fact]
    public async Task A_room_our_join_created_did_not_exist_and_is_left_again()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(JoinPattern("alice"));
            await s.SendAsync(SelfPresence("alice", "<status code='110'/><status code='201'/>"));
            await s.ExpectAsync($"*<presence type='unavailable' to='{Room}/alice'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(69, result.ExitCode);
        Assert.Contains("the room does not exist", Assert.Single(result.ErrorLines));
        Assert.DoesNotContain("groupchat", server.Conversation!.Transcript);
    }

    [Fact]
    public async Task Not_being_allowed_to_speak_is_reported()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(JoinPattern("alice"));
            await s.SendAsync(SelfPresence("alice"));
            await s.ExpectAsync("*<message type='groupchat' id='{id}'*</message>");
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync($"<message type='error' id='{{id}}' from='{Room}'><error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message><a xmlns='urn:xmpp:sm:3' h='2'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await SendAsync(server);

        Assert.Equal(77, result.ExitCode);
        Assert.StartsWith($"xsend: not allowed to speak in room {Room}", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Rooms_and_direct_recipients_mix_and_a_refused_room_is_a_partial_failure()
    {
        await using var server = new FakeXmppServer(async s =>
        {
            await Conversation.EstablishSessionAsync(s, "pw");
            await s.ExpectAsync(JoinPattern("alice"));
            await s.SendAsync(JoinError("alice", "not-authorized"));
            await s.ExpectAsync("<message type='chat' id='{id}' to='bob@xsend.test'>*</message>");
            await s.ExpectAsync("<r xmlns='urn:xmpp:sm:3'/>");
            await s.SendAsync("<a xmlns='urn:xmpp:sm:3' h='2'/>");
            await s.ExpectAsync("*</stream:stream>");
        });

        CliResult result = await _cli.RunAsync(["--jid", "alice@xsend.test", "--password", "pw", "--server", server.Endpoint, "--ca-file", TestCertificates.CaPemPath,
            "--room", Room, "--to", "bob@xsend.test", "disk", "full"]);

        Assert.Equal(81, result.ExitCode);
        Assert.Equal($"xsend: {Room}: cannot join room {Room}: the room needs a password, or --room-password is wrong", Assert.Single(result.ErrorLines));
    }
}
