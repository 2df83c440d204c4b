namespace XSend.IntegrationTests;

/// <summary>Chatrooms on Prosody's MUC component, observed by a second occupant.</summary>
[Collection(ProsodyCollection.Name)]
public sealed class RoomTests(ProsodyFixture prosody)
{
    private Task<ProcessResult> PostAsync(string room, params string[] extra) =>
        XsendProcess.RunAsync(["--config", prosody.WriteConfig("alice"), "--room", room, .. extra]);

    [Fact]
    public async Task Join_send_and_leave_is_seen_by_another_occupant()
    {
        string room = $"ops-{Guid.NewGuid():N}@conference.xsend.test";
        await using Receiver sam = await Receiver.OnlineAsync(prosody, "sam");
        await sam.JoinRoomAsync(room, "watcher");

        ProcessResult result = await PostAsync(room, "报警", "room", "alert");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var message = Assert.Single(await sam.ReceiveAsync());
        Assert.Equal("报警 room alert", message.Body);
        Assert.Equal("groupchat", message.Type);
        Assert.Equal($"{room}/alice", message.From);
        // The watcher saw alice arrive and leave (XEP-0045 §7.2.3 and §7.14), bounded to 50 presences.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<Xmpp.ReceivedPresence>();
        for (int i = 0; i < 50 && !seen.Contains(new Xmpp.ReceivedPresence($"{room}/alice", "unavailable")); i++)
            seen.Add(await sam.Client.ReceivePresenceAsync(timeout.Token));
        Assert.Contains(new Xmpp.ReceivedPresence($"{room}/alice", "available"), seen);
        Assert.Contains(new Xmpp.ReceivedPresence($"{room}/alice", "unavailable"), seen);
    }

    [Fact]
    public async Task A_nick_conflict_is_resolved_with_a_suffix()
    {
        string room = $"nick-{Guid.NewGuid():N}@conference.xsend.test";
        await using Receiver sam = await Receiver.OnlineAsync(prosody, "sam");
        await sam.JoinRoomAsync(room, "alice"); // takes the nickname xsend would use

        ProcessResult result = await PostAsync(room, "from the second alice");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var message = Assert.Single(await sam.ReceiveAsync());
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(room)}/alice-[0-9a-f]{{4}}$", message.From);
    }

    [Fact]
    public async Task A_wrong_room_password_is_refused_and_the_right_one_works()
    {
        string room = $"secret-{Guid.NewGuid():N}@conference.xsend.test";
        await using Receiver sam = await Receiver.OnlineAsync(prosody, "sam");
        await sam.JoinRoomAsync(room, "owner", ("muc#roomconfig_roomsecret", "s3cret"));

        ProcessResult wrong = await PostAsync(room, "--room-password", "guess", "hello");
        Assert.Equal(77, wrong.ExitCode);
        Assert.Equal($"xsend: warning: --room-password is visible to other users in ps and shell history; prefer --room-password-file or XSEND_ROOMS__PASSWORD\n"
            + $"xsend: cannot join room {room}: the room needs a password, or --room-password is wrong\n", wrong.Stderr);

        // The right one from a file, as the account's password would come.
        string passwordFile = Path.Combine(prosody.Directory, $"room-{Guid.NewGuid():N}.secret");
        await File.WriteAllTextAsync(passwordFile, "s3cret\n");
        ProcessResult right = await PostAsync(room, "--room-password-file", passwordFile, "hello");
        Assert.True(right.ExitCode == 0, right.Stderr);
        Assert.Equal("hello", Assert.Single(await sam.ReceiveAsync()).Body);
    }

    [Fact]
    public async Task A_members_only_room_refuses_a_non_member()
    {
        string room = $"members-{Guid.NewGuid():N}@conference.xsend.test";
        await using Receiver sam = await Receiver.OnlineAsync(prosody, "sam");
        await sam.JoinRoomAsync(room, "owner", ("muc#roomconfig_membersonly", "1"));

        ProcessResult result = await PostAsync(room, "hello");

        Assert.Equal(77, result.ExitCode);
        Assert.Equal($"xsend: cannot join room {room}: the room is members-only and this account is not a member\n", result.Stderr);
    }

    [Fact]
    public async Task A_room_that_does_not_exist_is_reported_and_not_left_behind()
    {
        string room = $"nobody-{Guid.NewGuid():N}@conference.xsend.test";

        ProcessResult result = await PostAsync(room, "hello");

        Assert.Equal(69, result.ExitCode);
        Assert.Equal($"xsend: cannot join room {room}: the room does not exist\n", result.Stderr);
    }
}
