using System.CommandLine;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;

namespace XSend.Cli.Commands;

/// <summary>
/// <c>xsend [options] &lt;jid&gt; [&lt;text&gt;...]</c>: the send, which is the root command. Each
/// argument and option is a field with its help text.
/// </summary>
/// <remarks>
/// Several recipients: with -m/--message, --file or --line-mode every positional word is a
/// recipient (<c>xsend a@x b@y -m text</c>); with --to (repeatable) and none of those, the
/// positional words are the text (<c>xsend --to a@x --to b@y disk full</c>); otherwise the first
/// word is the one recipient and the rest the text, exactly as xsend.py had it.
/// </remarks>
internal sealed class SendCommand
{
    public readonly Argument<string?> Recipient = new("jid")
    {
        Description = "The recipient's address, for example ops@example.org. With -m, --file or --line-mode, every word is a recipient.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public readonly Argument<string[]> Text = new("text")
    {
        Description = "The message. Words are joined with spaces. Without text, the message is read from stdin.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public readonly Option<bool> Subscribe = new("--subscribe")
    {
        Description = "First ask each recipient for a presence subscription and pre-approve theirs, as 'xsend contact add' does.",
    };

    public readonly Option<string[]> To = new("--to")
    {
        Description = "A recipient; repeat for several. All are sent over one connection.",
        HelpName = "JID",
    };

    public readonly Option<string[]> Room = new("--room")
    {
        Description = "A chatroom (XEP-0045) to post to, e.g. ops@conference.example.org; repeat for several. The join is confirmed before sending.",
        HelpName = "JID",
    };

    public readonly Option<string> Nick = new("--nick")
    {
        Description = "The nickname in rooms; default the account's user name. A nickname in use is retried once with a suffix.",
        HelpName = "NICK",
    };

    public readonly Option<string> RoomPassword = new("--room-password")
    {
        Description = "The rooms' password, if they need one. Visible to other users in ps: prefer --room-password-file.",
        HelpName = "PASSWORD",
    };

    public readonly Option<string> RoomPasswordFile = new("--room-password-file")
    {
        Description = "A file holding the rooms' password (config Rooms:PasswordFile).",
        HelpName = "PATH",
    };

    public readonly Option<string> Message = new("--message", "-m")
    {
        Description = "The message text (then all positional words are recipients).",
        HelpName = "TEXT",
    };

    public readonly Option<string> File = new("--file")
    {
        Description = "Read the message (UTF-8) from this file (then all positional words are recipients).",
        HelpName = "PATH",
    };

    public readonly Option<bool> LineMode = new("--line-mode")
    {
        Description = "Each line of stdin (or --file) is its own message, all over one connection.",
    };

    public readonly Option<string> Type = new("--type")
    {
        Description = "The message type: chat (default), normal or headline. Some clients hide headline messages.",
        HelpName = "TYPE",
    };

    public readonly Option<string> Subject = new("--subject")
    {
        Description = "A subject for the message.",
        HelpName = "TEXT",
    };

    public readonly Option<bool> NoOutbox = new("--no-outbox")
    {
        Description = "Do not queue an alert that cannot be delivered in time; just fail. For callers that retry themselves.",
    };

    public readonly Option<double?> WaitReceipt = new("--wait-receipt")
    {
        Description = "Ask the recipient's client for a delivery receipt (XEP-0184) and wait up to SECONDS (default 30) for it; exit 80 if none comes.",
        HelpName = "SECONDS",
    };

    private readonly ConnectionOptions _connection;

    public SendCommand(ConnectionOptions connection)
    {
        _connection = connection;
        Type.AcceptOnlyFromAmong("chat", "normal", "headline");
        WaitReceipt.CustomParser = ConnectionOptions.SecondsParser("--wait-receipt");
    }

    /// <summary>The root command: the send's arguments, the shared options, then the send's own; its action sends.</summary>
    public RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("Send an alert over XMPP: connect, authenticate, send one message, wait for the server to accept it, exit.")
        {
            Recipient, Text,
        };
        foreach (Option option in _connection.All)
            root.Options.Add(option);
        foreach (Option option in new Option[] { Subscribe, To, Room, Nick, RoomPassword, RoomPasswordFile, Message, File, LineMode, Type, Subject, NoOutbox, WaitReceipt })
            root.Options.Add(option);
        root.SetReportingAction(_connection, console, (result, token) =>
        {
            SendRequest request = ToRequest(result);
            // "xsend -v check" sends to a host named "check"; surely a subcommand put second.
            // A grammar mistake, not a failure: the one line even with -v.
            if (request.Recipients.FirstOrDefault(r => root.Subcommands.Any(c => c.Name == r)) is { } name)
            {
                console.Error.WriteLine($"xsend: '{name}' is a subcommand, recognised only as the first argument: xsend {name} [options]");
                return Task.FromResult(ExitCodes.Usage);
            }
            return SendAction.RunAsync(request, console.In, console.Out, console.Error, console.Environment, token);
        });
        return root;
    }

    public SendRequest ToRequest(ParseResult result)
    {
        string[] positional = [.. result.GetValue(Recipient) is { } first ? [first] : Array.Empty<string>(), .. result.GetValue(Text) ?? []];
        string[] to = result.GetValue(To) ?? [];
        string[] rooms = result.GetValue(Room) ?? [];
        string? message = result.GetValue(Message);
        string? file = result.GetValue(File);
        bool lineMode = result.GetValue(LineMode);

        // The grammar in the class remarks: which words are recipients and which are text.
        (string[] recipients, string[] words) = (message is not null || file is not null || lineMode) ? ([.. positional, .. to], Array.Empty<string>())
            : to.Length > 0 || rooms.Length > 0 ? (to, positional)
            : (positional.Take(1).ToArray(), positional.Skip(1).ToArray());

        Xmpp.MessageType type = result.GetValue(Type) switch
        {
            "normal" => Xmpp.MessageType.Normal,
            "headline" => Xmpp.MessageType.Headline,
            _ => Xmpp.MessageType.Chat,
        };
        return new SendRequest(recipients, rooms, result.GetValue(Nick),
            words, message, file, lineMode, type, result.GetValue(Subject), result.GetValue(Subscribe), result.GetValue(NoOutbox),
            result.GetValue(WaitReceipt) is double seconds ? TimeSpan.FromSeconds(seconds) : null,
            WithRoomPassword(_connection.ToRequest(result), result));
    }

    /// <summary>The room password options are settings like the account's: they join the command-line layer.</summary>
    private ConnectionRequest WithRoomPassword(ConnectionRequest connection, ParseResult result)
    {
        var overrides = new Dictionary<string, (string Value, string Option)>(connection.SettingOverrides, StringComparer.OrdinalIgnoreCase);
        if (result.GetValue(RoomPassword) is { } password)
            overrides[ConfigKeys.RoomPassword] = (password, RoomPassword.Name);
        if (result.GetValue(RoomPasswordFile) is { } file)
            overrides[ConfigKeys.RoomPasswordFile] = (file, RoomPasswordFile.Name);
        return connection with { SettingOverrides = overrides, RoomPasswordOnCommandLine = result.GetValue(RoomPassword) is not null };
    }
}
