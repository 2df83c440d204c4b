using System.CommandLine;
using System.CommandLine.Help;

namespace XSend.Cli.Commands;

/// <summary>
/// The command line: <c>xsend [options] &lt;jid&gt; [&lt;text&gt;...]</c> sends, <c>xsend listen</c>
/// receives. Each argument and option is a field with its help text.
/// </summary>
internal sealed class XSendCommandLine
{
    public readonly ConnectionOptions Connection = new();

    public readonly Argument<string> Recipient = new("jid")
    {
        Description = "The recipient's address, for example ops@example.org.",
    };

    public readonly Argument<string[]> Text = new("text")
    {
        Description = "The message. Words are joined with spaces. Without text, the message is read from stdin.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public readonly Option<int?> Count = new("--count")
    {
        Description = "Stop after this many messages; exit 75 if fewer arrive before the timeout.",
        HelpName = "N",
    };

    public readonly Command Listen = new("listen",
        "Log in as the account and print each incoming message as one line (from, type, body) until --count or --timeout.");

    public RootCommand Build()
    {
        var root = new RootCommand("Send an alert over XMPP: connect, authenticate, send one message, wait for the server to accept it, exit.")
        {
            Recipient, Text,
        };
        foreach (Option option in Connection.All)
            root.Options.Add(option);
        Count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int count && count < 1)
                result.AddError("--count must be at least 1");
        });
        Listen.Options.Add(Count);
        root.Subcommands.Add(Listen);

        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction defaultHelp)
                help.Action = new HelpWithFooterAction(defaultHelp, HelpFooter.Text);
            else if (option is VersionOption version)
                version.Action = new PrintVersionAction();
        }
        return root;
    }

    public SendRequest ToSendRequest(ParseResult result) =>
        new(result.GetRequiredValue(Recipient), result.GetValue(Text) ?? [], Connection.ToRequest(result));

    public ListenRequest ToListenRequest(ParseResult result) => new(result.GetValue(Count), Connection.ToRequest(result));
}
