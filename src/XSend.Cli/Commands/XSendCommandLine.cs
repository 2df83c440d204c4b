using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;

namespace XSend.Cli.Commands;

/// <summary>
/// The command line: <c>xsend [options] &lt;jid&gt; [&lt;text&gt;...]</c> sends, <c>xsend listen</c>
/// receives. Each argument and option is a field with its help text.
/// </summary>
/// <remarks>
/// Several recipients: with -m/--message, --file or --line-mode every positional word is a
/// recipient (<c>xsend a@x b@y -m text</c>); with --to (repeatable) and none of those, the
/// positional words are the text (<c>xsend --to a@x --to b@y disk full</c>); otherwise the first
/// word is the one recipient and the rest the text, exactly as xsend.py had it.
/// </remarks>
internal sealed class XSendCommandLine
{
    public readonly ConnectionOptions Connection = new();

    public readonly Argument<string?> Recipient = new("jid")
    {
        Description = "The recipient's address, for example ops@example.org. With -m, --file or --line-mode, every word is a recipient.",
        Arity = ArgumentArity.ZeroOrOne,
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

    public readonly Argument<string[]> Text = new("text")
    {
        Description = "The message. Words are joined with spaces. Without text, the message is read from stdin.",
        Arity = ArgumentArity.ZeroOrMore,
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

    public readonly Command Outbox = new("outbox", "Manage alerts queued for later delivery (see --no-outbox).");

    public readonly Command OutboxList = new("list", "List queued alerts, oldest first.");

    public readonly Command OutboxFlush = new("flush", "Send the account's queued alerts now.");

    public readonly Command OutboxPurge = new("purge", "Delete all queued alerts.");

    public readonly Option<int?> Count = new("--count")
    {
        Description = "Stop after this many messages; exit 75 if fewer arrive before the timeout.",
        HelpName = "N",
    };

    public readonly Command Listen = new("listen",
        "Log in as the account and print each incoming message as one line (from, type, body) until --count or --timeout. Answers receipt requests and pings.");

    public readonly Option<bool> ListenJson = JsonOption("Print one JSON object per message (JSON Lines).");

    public readonly Option<bool> Subscribe = new("--subscribe")
    {
        Description = "First ask each recipient for a presence subscription and pre-approve theirs, as 'xsend contact add' does.",
    };

    public readonly Command Contact = new("contact", "Manage the account's contacts (servers that deliver only between contacts need this).");

    public readonly Command ContactAdd = new("add", "Ask each JID for a presence subscription and pre-approve theirs (RFC 6121 §3.4).");

    public readonly Argument<string[]> ContactJids = new("jid")
    {
        Description = "The contacts to add.",
        Arity = ArgumentArity.OneOrMore,
    };

    public readonly Command ContactList = new("list", "Show the roster with subscription states.");

    public readonly Option<bool> ContactListJson = JsonOption("Print one JSON object per contact (JSON Lines).");

    public readonly Command Check = new("check",
        "Connect, authenticate and report: server, TLS version and cipher, certificate and its pin, SASL mechanisms, and server features. Exits like a send.");

    public readonly Option<bool> CheckJson = JsonOption("Print the report as one JSON object.");

    public readonly Command Man = new("man", "Print this program's manual page (roff), generated from the same option descriptions as --help.");

    private static Option<bool> JsonOption(string description) => new("--json") { Description = description };

    public RootCommand Build()
    {
        var root = new RootCommand("Send an alert over XMPP: connect, authenticate, send one message, wait for the server to accept it, exit.")
        {
            Recipient, Text,
        };
        foreach (Option option in Connection.All)
            root.Options.Add(option);
        Count.CustomParser = result =>
        {
            // One line for any word that is not a count (1e3, 1.5, 99999999999), never the parser's exception.
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) && count >= 1)
                return count;
            result.AddError($"--count must be a whole number of messages, at least 1, not '{text}'");
            return null;
        };
        Listen.Options.Add(Count);
        Listen.Options.Add(ListenJson);
        root.Subcommands.Add(Listen);
        root.Options.Add(Subscribe);
        ContactAdd.Arguments.Add(ContactJids);
        ContactList.Options.Add(ContactListJson);
        Contact.Subcommands.Add(ContactAdd);
        Contact.Subcommands.Add(ContactList);
        root.Subcommands.Add(Contact);
        Check.Options.Add(CheckJson);
        root.Subcommands.Add(Check);
        root.Subcommands.Add(Man);
        Type.AcceptOnlyFromAmong("chat", "normal", "headline");
        foreach (Option option in new Option[] { To, Room, Nick, RoomPassword, RoomPasswordFile, Message, File, LineMode, Type, Subject })
            root.Options.Add(option);
        root.Options.Add(NoOutbox);
        WaitReceipt.CustomParser = ConnectionOptions.SecondsParser("--wait-receipt");
        root.Options.Add(WaitReceipt);
        Outbox.Subcommands.Add(OutboxList);
        Outbox.Subcommands.Add(OutboxFlush);
        Outbox.Subcommands.Add(OutboxPurge);
        root.Subcommands.Add(Outbox);

        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction defaultHelp)
                help.Action = new HelpWithFooterAction(defaultHelp, HelpFooter.Text);
            else if (option is VersionOption version)
                version.Action = new PrintVersionAction();
        }
        return root;
    }

    private const double DefaultReceiptSeconds = 30;

    /// <summary>
    /// Applies xsend's grammar before System.CommandLine sees the words, which would otherwise
    /// find options and subcommands anywhere, also inside the message text:
    /// <list type="bullet">
    /// <item>a subcommand is recognised only as the first argument (and its own subcommand right after it);</item>
    /// <item>options end at the first operand (POSIX: options before operands), so every later word is an
    /// operand: <c>xsend bob@x load is -v high</c> sends "load is -v high"; a <c>--</c> right after the first
    /// operand is dropped, as it was always the way to send text starting with a dash;</item>
    /// <item>a bare <c>--wait-receipt</c> not followed by a number becomes <c>--wait-receipt=30</c>, so the next
    /// word stays the recipient (an option cannot give a token back in System.CommandLine).</item>
    /// </list>
    /// </summary>
    /// <returns>The arguments to parse, and the subcommand named by the first argument, if any.</returns>
    public static (string[] Arguments, Command? Subcommand) NormalizeArguments(Command root, string[] args)
    {
        var normalized = new List<string>(args.Length + 1);
        Command command = root;
        var options = new List<Option>(root.Options);
        int i = 0;
        // Directives ([suggest] for shell completion) come before everything, as System.CommandLine expects them.
        while (i < args.Length && root is RootCommand { } withDirectives && args[i] is ['[', .., ']']
            && withDirectives.Directives.Any(d => args[i][1..^1].Split(':')[0] == d.Name))
        {
            normalized.Add(args[i++]);
        }
        while (i < args.Length && command.Subcommands.FirstOrDefault(c => c.Name == args[i] || c.Aliases.Contains(args[i])) is { } subcommand)
        {
            normalized.Add(args[i++]);
            command = subcommand;
            options.AddRange(subcommand.Options);
        }

        for (; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                normalized.Add(arg);
                AddOperands(normalized, args, i + 1);
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                // The first operand: from here on, every word is an operand.
                normalized.Add("--");
                AddOperands(normalized, args, i);
                break;
            }

            int attached = arg.IndexOfAny(['=', ':']);
            string name = attached > 0 ? arg[..attached] : arg;
            Option? option = options.FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name));
            bool valueFollows = i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            if (arg == "--wait-receipt" && !valueFollows)
            {
                normalized.Add($"--wait-receipt={DefaultReceiptSeconds.ToString(CultureInfo.InvariantCulture)}");
                continue;
            }
            // An option that needs a value takes the next word, whatever it looks like ("-m -5"):
            // attached with '=', so the parser cannot mistake it for an option.
            normalized.Add(option is not null && attached < 0 && option.Arity.MinimumNumberOfValues > 0 && i + 1 < args.Length
                ? $"{arg}={args[++i]}"
                : arg);
        }
        return ([.. normalized], command == root ? null : command);
    }

    private static void AddOperands(List<string> normalized, string[] args, int first)
    {
        for (int i = first; i < args.Length; i++)
        {
            if (!(i == first + 1 && args[i] == "--"))
                normalized.Add(args[i]);
        }
    }

    public SendRequest ToSendRequest(ParseResult result)
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
            WithRoomPassword(Connection.ToRequest(result), result));
    }

    /// <summary>The room password options are settings like the account's: they join the command-line layer.</summary>
    private ConnectionRequest WithRoomPassword(ConnectionRequest connection, ParseResult result)
    {
        var overrides = new Dictionary<string, (string Value, string Option)>(connection.SettingOverrides, StringComparer.OrdinalIgnoreCase);
        if (result.GetValue(RoomPassword) is { } password)
            overrides[Configuration.ConfigKeys.RoomPassword] = (password, RoomPassword.Name);
        if (result.GetValue(RoomPasswordFile) is { } file)
            overrides[Configuration.ConfigKeys.RoomPasswordFile] = (file, RoomPasswordFile.Name);
        return connection with { SettingOverrides = overrides, RoomPasswordOnCommandLine = result.GetValue(RoomPassword) is not null };
    }

    public ListenRequest ToListenRequest(ParseResult result) => new(result.GetValue(Count), result.GetValue(ListenJson), Connection.ToRequest(result));
}
